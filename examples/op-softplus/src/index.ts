// softplus(x) = log(1 + exp(x)), an op defined outside @paradox/ir with the public extension points:
// a registry entry (type rule, reference rule) and a decomposition into built-in ops, so every backend
// runs it without knowing it.
import { type GraphBuilder, registerOp, requireDTypes, type TensorType, type ValueId } from '@paradox/ir';
import { apply, type Tensor } from '@paradox/tracer';
import * as z from 'zod/mini';
import './types.js';

/** The reference: max(x, 0) + log1p(exp(-|x|)), which neither overflows nor loses small values. */
function softplusValue(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The same formula in built-in ops, each computed in the operand's float dtype. */
function decompose(b: GraphBuilder, [x]: ValueId[], _attrs: unknown, [type]: TensorType[]): ValueId {
  const scalar = (value: number) =>
    b.op('broadcast', [b.op('constant', [], { value, dtype: type!.dtype })], { shape: type!.shape });
  const positive = b.op('maximum', [x!, scalar(0)]);
  const tail = b.op('log', [b.op('add', [scalar(1), b.op('exp', [b.op('neg', [b.op('abs', [x!])])])])]);
  return b.op('add', [positive, tail]);
}

registerOp({
  name: 'softplus',
  arity: 1,
  attrs: z.strictObject({}),
  traits: { elementwise: true, cost: 9 },
  inferType([x]) {
    requireDTypes('softplus', [x!], (t) => t.dtype === 'float32' || t.dtype === 'float16', 'float');
    return { dtype: x!.dtype, shape: [...x!.shape] };
  },
  evaluate([x], _attrs, out) {
    const data = new Float32Array(x!.data.length);
    for (let i = 0; i < data.length; i++) data[i] = softplusValue(x!.data[i]!);
    return { dtype: out.dtype, shape: [...out.shape], data };
  },
  decompose,
});

/** softplus of a tensor: eager, traced or jitted like any tensor op. */
export const softplus = (x: Tensor): Tensor => apply('softplus', [x]);
