import { type BuiltinOpAttrs, resolveSlice } from '@paradox/ir';
import { apply, full, type Tensor } from '@paradox/tracer';
import { type DerivativeRule, unbroadcast, zerosLike } from './rule-types.js';

type MovementOp = 'reshape' | 'transpose' | 'broadcast' | 'slice' | 'pad' | 'concat' | 'matmul';
type Table = { [P in MovementOp]: DerivativeRule<BuiltinOpAttrs[P]> };

/** The JVP of an op linear in its one input: the op itself applied to the tangent. */
const sameOp =
  (op: string) =>
  (
    tangents: readonly (Tensor | undefined)[],
    _inputs: readonly Tensor[],
    _out: Tensor,
    attrs: object,
  ): Tensor =>
    apply(op, [tangents[0]!], attrs as Record<string, unknown>);

const swapLast = (t: Tensor): Tensor => {
  const perm = t.shape.map((_, i) => i);
  perm[t.rank - 2] = t.rank - 1;
  perm[t.rank - 1] = t.rank - 2;
  return t.transpose(perm);
};

/** Scatters a slice's cotangent back into zeros shaped like the sliced tensor, axis by axis. */
export function unslice(ct: Tensor, shape: readonly number[], attrs: BuiltinOpAttrs['slice']): Tensor {
  let g = ct;
  for (let axis = 0; axis < shape.length; axis++) {
    const dim = shape[axis]!;
    const r = resolveSlice(dim, attrs.starts[axis]!, attrs.stops[axis]!, attrs.steps[axis]!);
    const n = r.length;
    if (n === 0) return full(shape, 0, ct.dtype);
    if (n === dim && r.step === 1) continue;
    let firstIndex = r.start;
    const k = Math.abs(r.step);
    if (r.step < 0) {
      g = g.slice([-1], [null], [-1], [axis]); // reverse, so the elements ascend
      firstIndex = r.start + (n - 1) * r.step;
    }
    if (k > 1) {
      // Dilate: k - 1 zeros after every element, then drop the trailing ones.
      const s = g.shape;
      g = g
        .reshape([...s.slice(0, axis), n, 1, ...s.slice(axis + 1)])
        .pad(Array.from({ length: s.length + 1 }, (_, i) => (i === axis + 1 ? [0, k - 1] : [0, 0])))
        .reshape([...s.slice(0, axis), n * k, ...s.slice(axis + 1)])
        .slice([0], [(n - 1) * k + 1], [1], [axis]);
    }
    const span = (n - 1) * k + 1;
    g = g.pad(shape.map((_, i) => (i === axis ? [firstIndex, dim - firstIndex - span] : [0, 0])));
  }
  return g;
}

export const movementRules: Table = {
  reshape: { vjp: (ct, [x]) => [ct.reshape(x!.shape)], jvp: sameOp('reshape') },
  transpose: {
    vjp: (ct, _inputs, _out, { perm }) => {
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [ct.transpose(inverse)];
    },
    jvp: sameOp('transpose'),
  },
  broadcast: { vjp: (ct, [x]) => [unbroadcast(ct, x!.shape)], jvp: sameOp('broadcast') },
  slice: { vjp: (ct, [x], _out, attrs) => [unslice(ct, x!.shape, attrs)], jvp: sameOp('slice') },
  pad: {
    vjp: (ct, [x], _out, { pads }) => [
      apply('slice', [ct], {
        starts: pads.map(([before]) => before),
        stops: pads.map(([before], i) => before + x!.shape[i]!),
        steps: pads.map(() => 1),
      }),
    ],
    // The padding value is a constant: its tangent is zero.
    jvp: ([t], _inputs, _out, { pads }) => apply('pad', [t!], { pads, value: 0 }),
  },
  concat: {
    vjp: (ct, inputs, _out, { axis }, needs) => {
      let offset = 0;
      return inputs.map((x, i) => {
        const start = offset;
        offset += x.shape[axis]!;
        return needs[i] ? ct.slice([start], [offset], [1], [axis]) : undefined;
      });
    },
    jvp: (tangents, inputs, _out, attrs) =>
      apply(
        'concat',
        inputs.map((x, i) => tangents[i] ?? zerosLike(x)),
        attrs,
      ),
  },
  // numpy matmul: 1-D operands act as a row (lhs) or column (rhs); batch dims broadcast.
  matmul: {
    vjp: (ct, [a, b], out, _attrs, needs) => {
      const A = a!.rank === 1 ? a!.reshape([1, a!.shape[0]!]) : a!;
      const B = b!.rank === 1 ? b!.reshape([b!.shape[0]!, 1]) : b!;
      const batch = out.shape.slice(0, out.rank - (a!.rank === 1 ? 0 : 1) - (b!.rank === 1 ? 0 : 1));
      const g = ct.reshape([...batch, A.shape[A.rank - 2]!, B.shape[B.rank - 1]!]);
      return [
        needs[0] ? unbroadcast(g.matmul(swapLast(B)), A.shape).reshape(a!.shape) : undefined,
        needs[1] ? unbroadcast(swapLast(A).matmul(g), B.shape).reshape(b!.shape) : undefined,
      ];
    },
    jvp: ([ta, tb], [a, b]) => {
      const left = ta === undefined ? undefined : ta.matmul(b!);
      const right = tb === undefined ? undefined : a!.matmul(tb);
      return left && right ? left.add(right) : (left ?? right)!;
    },
  },
};
