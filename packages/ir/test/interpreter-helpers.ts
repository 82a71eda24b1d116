import { type Attrs, GraphBuilder, type HostTensor, interpret } from '../src/index.js';
import { host } from './helpers.js';

/** Runs one op on the given operands through a real graph (builder -> verify -> interpret). */
export function run(op: string, operands: HostTensor[], attrs: Attrs = {}): HostTensor {
  const b = new GraphBuilder('t');
  const ids = operands.map((x, i) => b.input(`x${i}`, { dtype: x.dtype, shape: x.shape }));
  b.output(b.op(op, ids, attrs));
  return interpret(b.build(), operands)[0]!;
}
export const F = (shape: number[], v: number[]) => host('float32', shape, v);
export const I = (shape: number[], v: number[]) => host('int32', shape, v);
export const B = (shape: number[], v: number[]) => host('bool', shape, v);
export const values = (t: HostTensor) => Array.from(t.data);
export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
