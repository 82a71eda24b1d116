import { describe, expect, it } from 'vitest';
import { FunctionBody, V128 } from '../src/encoder/function-body.js';
import { ModuleBuilder } from '../src/encoder/module.js';
import { SimdOp as S } from '../src/encoder/opcodes.js';

/** `f() -> f32x4`: 1.5 + 1.5 + bits 0x3f800000 (1.0) = 4 per lane, from hoisted or inline constants; `g`: lanes 0 + 3. */
function build(hoist: boolean): { bytes: Uint8Array; run: () => number } {
  const m = new ModuleBuilder();
  const b = new FunctionBody(0);
  if (hoist) b.hoistConstants(m.constants);
  b.v128Splat(1.5).v128Splat(1.5).simd(S.f32x4Add).i32x4Splat(0x3f800000).simd(S.f32x4Add);
  m.addFunction({ params: [], results: [V128] }, b, 'f');
  // A wrapper returning lane sums: JS cannot receive a v128.
  const w = new FunctionBody(0);
  w.call(0).lane(S.f32x4ExtractLane, 0).call(0).lane(S.f32x4ExtractLane, 3).op(0x92); // f32.add
  m.addFunction({ params: [], results: [0x7d] }, w, 'g');
  const bytes = m.encode();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource));
  return { bytes, run: inst.exports.g as () => number };
}

describe('encoder', () => {
  it('hoisted v128 constants come from one global per distinct value and give the inline results', () => {
    const inline = build(false);
    const hoisted = build(true);
    expect(inline.run()).toBe(8);
    expect(hoisted.run()).toBe(8);
    // Two distinct constants: a global section (id 6) with two v128 globals; none without hoisting.
    expect(countGlobals(hoisted.bytes)).toBe(2);
    expect(countGlobals(inline.bytes)).toBe(0);
  });
});

/** Number of entries in the module's global section (0 if none), walking the section headers. */
function countGlobals(bytes: Uint8Array): number {
  let at = 8;
  const leb = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++]!;
      v |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = leb();
    if (id === 6) return leb();
    at += size;
  }
  return 0;
}
