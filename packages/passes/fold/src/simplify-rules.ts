import {
  type Attrs,
  type OpAttrs,
  type OpName,
  resolveSlice,
  shapesEqual,
  type TensorType,
  type ValueId,
} from '@paradox/ir';
import type { ValueFacts } from './value-facts.js';

/**
 * Algebraic identities, one small rule per op. Every rewrite preserves the node's type and the
 * reference interpreter's results bit for bit (NaN payloads aside), which rules out several
 * textbook identities for floats:
 * - x + 0 -> x only for int32, or when the zero is -0: (-0) + (+0) is +0 under IEEE 754.
 * - x - 0 -> x for int32, or when the zero is +0.
 * - x * 0 -> 0 and x - x -> 0 only for int32: for floats NaN*0, Inf*0 and Inf-Inf are NaN, and
 *   (-1)*0 is -0, so the result depends on x.
 * Reductions over no axes are not simplified: sum starts from +0, so sum([-0]) is +0, not x.
 * The table is partial on purpose: most ops have no identity worth a rule.
 */

/** Replace the node's uses by an existing value, or rewrite it in place (same id and source). */
export type Rewrite = { use: ValueId } | { become: { op: OpName; inputs: ValueId[]; attrs: Attrs } };

export interface RuleNode<P extends OpName> {
  inputs: ValueId[];
  attrs: OpAttrs[P];
  type: TensorType;
}

export type SimplifyRule<P extends OpName> = (node: RuleNode<P>, facts: ValueFacts) => Rewrite | undefined;

export const SIMPLIFY_RULES: { [P in OpName]?: SimplifyRule<P> } = {
  add: (n, f) => {
    const [a, b] = n.inputs as [ValueId, ValueId];
    return (
      (isAdditiveIdentity(f, b, n.type) && use(n, a, f)) ||
      (isAdditiveIdentity(f, a, n.type) && use(n, b, f)) ||
      undefined
    );
  },
  sub: (n, f) => {
    const [a, b] = n.inputs as [ValueId, ValueId];
    if (n.type.dtype === 'int32' && a === b) return zeros(n.type);
    const s = f.splat(b);
    const isZero = s === 0 && (n.type.dtype === 'int32' || !Object.is(s, -0));
    return (isZero && use(n, a, f)) || undefined;
  },
  mul: (n, f) => {
    const [a, b] = n.inputs as [ValueId, ValueId];
    if (n.type.dtype === 'int32' && (f.splat(a) === 0 || f.splat(b) === 0)) return zeros(n.type);
    return (f.splat(b) === 1 && use(n, a, f)) || (f.splat(a) === 1 && use(n, b, f)) || undefined;
  },
  div: (n, f) => rightIdentity(n, f, 1),
  pow: (n, f) => rightIdentity(n, f, 1),
  maximum: (n, f) => idempotent(n, f),
  minimum: (n, f) => idempotent(n, f),
  and: (n, f) => idempotent(n, f),
  or: (n, f) => idempotent(n, f),
  neg: (n, f) => involution('neg', n, f),
  not: (n, f) => involution('not', n, f),
  where: (n, f) => {
    const [c, a, b] = n.inputs as [ValueId, ValueId, ValueId];
    if (a === b) return use(n, a, f);
    const cond = f.splat(c);
    if (cond === undefined) return undefined;
    return use(n, cond ? a : b, f);
  },
  cast: (n, f) => (f.typeOf(n.inputs[0]!).dtype === n.attrs.dtype ? use(n, n.inputs[0]!, f) : undefined),
  transpose: (n, f) => {
    const x = n.inputs[0]!;
    const inner = f.producer(x);
    // z = transpose(transpose(y, p1), p2)  =>  z = transpose(y, p1[p2[i]])
    const [source, perm] =
      inner?.op === 'transpose'
        ? [inner.inputs[0]!, n.attrs.perm.map((p) => (inner.attrs as OpAttrs['transpose']).perm[p]!)]
        : [x, n.attrs.perm];
    if (perm.every((p, i) => p === i)) return use(n, source, f);
    return inner?.op === 'transpose'
      ? { become: { op: 'transpose', inputs: [source], attrs: { perm } } }
      : undefined;
  },
  reshape: (n, f) => throughSameOp('reshape', n, f),
  broadcast: (n, f) => throughSameOp('broadcast', n, f),
  slice: (n, f) => {
    const x = f.typeOf(n.inputs[0]!);
    const whole = x.shape.every((d, i) => {
      const s = resolveSlice(d, n.attrs.starts[i]!, n.attrs.stops[i]!, n.attrs.steps[i]!);
      return s.length === d && (d <= 1 || (s.start === 0 && s.step === 1));
    });
    return whole ? use(n, n.inputs[0]!, f) : undefined;
  },
  pad: (n, f) =>
    n.attrs.pads.every(([lo, hi]) => lo === 0 && hi === 0) ? use(n, n.inputs[0]!, f) : undefined,
  concat: (n, f) => (n.inputs.length === 1 ? use(n, n.inputs[0]!, f) : undefined),
};

/** `{ use: x }` when x can stand in for the node: same dtype and shape (no promotion or broadcast hidden). */
function use(n: RuleNode<OpName>, x: ValueId, f: ValueFacts): Rewrite | undefined {
  const t = f.typeOf(x);
  return t.dtype === n.type.dtype && shapesEqual(t.shape, n.type.shape) ? { use: x } : undefined;
}

const zeros = (type: TensorType): Rewrite => ({
  become: { op: 'full', inputs: [], attrs: { value: 0, shape: [...type.shape], dtype: type.dtype } },
});

function isAdditiveIdentity(f: ValueFacts, id: ValueId, type: TensorType): boolean {
  const s = f.splat(id);
  return s === 0 && (type.dtype === 'int32' || Object.is(s, -0));
}

function rightIdentity(n: RuleNode<OpName>, f: ValueFacts, identity: number): Rewrite | undefined {
  return f.splat(n.inputs[1]!) === identity ? use(n, n.inputs[0]!, f) : undefined;
}

function idempotent(n: RuleNode<OpName>, f: ValueFacts): Rewrite | undefined {
  return n.inputs[0] === n.inputs[1] ? use(n, n.inputs[0]!, f) : undefined;
}

/** f(f(x)) = x. */
function involution(op: OpName, n: RuleNode<OpName>, f: ValueFacts): Rewrite | undefined {
  const inner = f.producer(n.inputs[0]!);
  return inner?.op === op ? use(n, inner.inputs[0]!, f) : undefined;
}

/**
 * reshape(reshape(x)) and broadcast(broadcast(x)) collapse to one op on x (both compose: the outer
 * attrs alone determine the result); an op to x's own shape is x.
 */
function throughSameOp(
  op: 'reshape' | 'broadcast',
  n: RuleNode<typeof op>,
  f: ValueFacts,
): Rewrite | undefined {
  const inner = f.producer(n.inputs[0]!);
  const source = inner?.op === op ? inner.inputs[0]! : n.inputs[0]!;
  if (shapesEqual(f.typeOf(source).shape, n.type.shape)) return use(n, source, f);
  return inner?.op === op
    ? { become: { op, inputs: [source], attrs: { shape: [...n.attrs.shape] } } }
    : undefined;
}
