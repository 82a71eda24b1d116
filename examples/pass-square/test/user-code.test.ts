import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

const x = [1.5, -2, 0.1, 3e19];
const squarePlusOne = (t: Tensor) => t.pow(2).add(1);

describe('pow2-to-mul from user code (jit insert option)', () => {
  it('runs inside the default pipeline at a named point, visibly, with the same values', async () => {
    const f = jit(squarePlusOne, { backend: 'js', insert: [{ at: 'after:cse', pipeline: 'pow2-to-mul' }] });
    const out = await f(tensor(x)).data();
    const info = f.inspect();
    expect(info.pipeline).toBe('fixpoint(dce,cse,pow2-to-mul,fold),layout,fusion');
    expect(info.optimized).toMatch(/= mul %t, %t/);
    expect(info.optimized).not.toMatch(/pow/);
    // x*x+1 in float32, by hand: 3e19 squared overflows float32 to Infinity, as pow does.
    expect(Array.from(out)).toEqual(x.map((v) => Math.fround(Math.fround(Math.fround(v) ** 2) + 1)));
    expect(Array.from(out)[3]).toBe(Number.POSITIVE_INFINITY);

    const plain = jit(squarePlusOne, { backend: 'js' });
    expect(Array.from(await plain(tensor(x)).data())).toEqual(Array.from(out));
    expect(plain.inspect().optimized).toMatch(/= pow /);
  });

  it('leaves int32 squares (which would wrap where pow saturates) and other exponents alone', async () => {
    const f = jit((t: Tensor, u: Tensor) => [t.pow(2), u.pow(3)], {
      backend: 'js',
      insert: [{ at: 'before:fusion', pipeline: 'pow2-to-mul' }],
    });
    f(tensor([3, 4], [2], 'int32'), tensor([2, 3]));
    expect(f.inspect().optimized.match(/= pow /g)).toHaveLength(2);
  });
});
