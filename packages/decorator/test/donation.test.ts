import '@paradox/backend-js';
import { interpret } from '@paradox/ir';
import { type Tensor, TensorDonatedError, tensor, trace } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { JitArgumentError, JitError, jit } from '../src/index.js';

const data = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed));

/** The reference interpreter's result of `fn` on fresh copies of the inputs. */
function reference(fn: (...xs: Tensor[]) => Tensor, inputs: [Float32Array, number[]][]): Float32Array {
  const graph = trace(fn, ...inputs.map(([d, s]) => tensor(d, s)));
  return interpret(
    graph,
    inputs.map(([d]) => d),
  )[0]!.data as Float32Array;
}

describe('jit donate', () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['in place: a * 2 + b', (a, b) => a.mul(2).add(b)],
    ['reads other elements: a^T + b', (a, b) => a.transpose().add(b)],
    ['contraction: a @ b', (a, b) => a.matmul(b)],
    ['reads a after the output is stored: (a + 1) * sum(a)', (a, b) => a.add(1).mul(a.sum()).add(b.mul(0))],
  ];
  for (const [name, fn] of cases) {
    it(`gives the reference result when the donated input ${name}`, () => {
      const ad = data(16, 1);
      const bd = data(16, 2);
      const f = jit(fn, { donate: [0] });
      const want = reference(fn, [
        [ad, [4, 4]],
        [bd, [4, 4]],
      ]);
      for (let call = 0; call < 3; call++) {
        const a = tensor(ad, [4, 4]);
        const b = tensor(bd, [4, 4]);
        const out = f(a, b);
        // Within float32 rounding: summation order differs from the interpreter's.
        out.dataSync().forEach((v, i) => {
          expect(v).toBeCloseTo(want[i]!, 5);
        });
        expect(() => a.dataSync()).toThrow(TensorDonatedError);
        expect(Array.from(b.dataSync())).toEqual(Array.from(bd)); // not donated: intact
      }
    });
  }

  it('writes the output into the donated memory when the program allows it', () => {
    const f = jit((a: Tensor, b: Tensor) => a.mul(2).add(b), { donate: [0] });
    const a = tensor(data(8, 3), [8]);
    const b = tensor(data(8, 4), [8]);
    const f1 = f(a, b); // cold: compiles
    const memory = f1.storage('test');
    const f2 = f(f1, b);
    expect(f2.storage('test')).not.toBe(memory); // a new tensor...
    expect((f2.storage('test') as { buffer: unknown }).buffer).toBe((memory as { buffer: unknown }).buffer); // ...over the same memory
    expect(() => f1.add(1)).toThrow(/donated to/);
  });

  it('checks the option', () => {
    expect(() => jit((a: Tensor) => a, { donate: [-1] })).toThrow(JitError);
    expect(() => jit((a: Tensor) => a, { donate: 0 as unknown as number[] })).toThrow(
      /donate must be a list/,
    );
    expect(() => jit((a: Tensor, _n: number) => a, { donate: [1], static: [1] })).toThrow(
      /both static and donated/,
    );
    const f = jit((a: Tensor) => a.add(1), { donate: [3] });
    expect(() => f(tensor([1]))).toThrow(JitArgumentError);
  });
});
