import { describe, expect, it } from 'vitest';
import { EMIT_MATH, emitExp, type MathFn } from '../src/codegen/simd-math.js';
import { FunctionBody } from '../src/encoder/function-body.js';
import { F32, ModuleBuilder, V128 } from '../src/encoder/module.js';
import { SimdOp } from '../src/encoder/opcodes.js';

/** A module exporting each vector math function applied to lane 0 of a splat, as f32 -> f32. */
function mathModule(): Record<MathFn, (x: number) => number> {
  const m = new ModuleBuilder();
  for (const name of Object.keys(EMIT_MATH) as MathFn[]) {
    const body = new FunctionBody(1);
    const v = body.local(V128);
    body.get(0).simd(SimdOp.f32x4Splat).set(v);
    EMIT_MATH[name](body, v);
    body.lane(SimdOp.f32x4ExtractLane, 0);
    m.addFunction({ params: [F32], results: [F32] }, body, name);
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(m.encode() as BufferSource));
  return instance.exports as unknown as Record<MathFn, (x: number) => number>;
}

const REFERENCE: Record<MathFn, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

/** float32 values over many binades, both signs, plus the special ones. */
function sweep(): number[] {
  const xs = [
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    1e-45,
    1e-40,
    1.1754942e-38,
    3.4028235e38,
    88.72,
    88.8,
    -87.5,
    -103.9,
  ];
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < 40_000; i++) {
    bits[0] = Math.imul(i, 2654435761) >>> 0;
    if (Number.isFinite(f[0]!)) xs.push(f[0]!);
  }
  for (let x = -20; x <= 20; x += 0.01) xs.push(Math.fround(x));
  return xs;
}

describe('f32x4 math', () => {
  const fns = mathModule();
  for (const name of ['exp', 'log', 'tanh', 'sigmoid'] as MathFn[]) {
    it(`${name} is within 2 float32 ulp of the reference (or 1e-37 absolute)`, () => {
      let worst = 0;
      for (const x of sweep()) {
        const want = Math.fround(REFERENCE[name](Math.fround(x)));
        const got = fns[name](x);
        if (Number.isNaN(want)) {
          expect(got, `${name}(${x})`).toBeNaN();
          continue;
        }
        if (!Number.isFinite(want)) {
          expect(got, `${name}(${x})`).toBe(want);
          continue;
        }
        if (want === 0) expect(Object.is(got, want), `${name}(${x}) = ${got}, want ${want}`).toBe(true);
        const err = Math.abs(got - want);
        const ulp = Math.max(2 ** (Math.floor(Math.log2(Math.abs(want) || 2 ** -126)) - 23), 2 ** -149);
        if (err > 1e-37) worst = Math.max(worst, err / ulp);
        if (err > 1e-37) expect(err / ulp, `${name}(${x}) = ${got}, want ${want}`).toBeLessThanOrEqual(2);
      }
      expect(worst).toBeLessThanOrEqual(2);
    });
  }

  it('exp of an argument known <= 0 (no upper clamp) equals exp bit for bit there', () => {
    const m = new ModuleBuilder();
    const body = new FunctionBody(1);
    const v = body.local(V128);
    body.get(0).simd(SimdOp.f32x4Splat).set(v);
    emitExp(body, v, { nonPositive: true });
    body.lane(SimdOp.f32x4ExtractLane, 0);
    m.addFunction({ params: [F32], results: [F32] }, body, 'exp');
    const known = (
      new WebAssembly.Instance(new WebAssembly.Module(m.encode() as BufferSource)).exports as {
        exp: (x: number) => number;
      }
    ).exp;
    const xs = [0, -0, -Infinity, Number.NaN, -1e-45, -87.5, -86.99, -103.9, -3.4028235e38];
    const bits = new Uint32Array(1);
    const f = new Float32Array(bits.buffer);
    for (let i = 0; i < 40_000; i++) {
      bits[0] = (Math.imul(i, 2654435761) | 0x80000000) >>> 0;
      xs.push(f[0]!);
    }
    for (let x = -100; x <= 0; x += 0.003) xs.push(Math.fround(x));
    for (const x of xs) {
      const want = fns.exp(x);
      const got = known(x);
      expect(
        Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want),
        `exp(${x}) = ${got}, want ${want}`,
      ).toBe(true);
    }
    expect(known(Number.NaN)).toBeNaN();
  });
});
