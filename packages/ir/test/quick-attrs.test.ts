import { describe, expect, it } from 'vitest';
import { AttrError, checkSchema, getOp, validateAttrs } from '../src/index.js';

/**
 * OpDef.quickAttrs skips the zod schema for the attrs a trace records once per op (a scalar constant,
 * its broadcast): it may only say yes where the schema says yes, and bad attrs still get the schema's error.
 */
describe('quickAttrs accepts only what the schema accepts', () => {
  const polluted = Object.assign(Object.create({ inherited: 1 }), { value: 1, dtype: 'float32' });
  const samples: Record<string, unknown[]> = {
    constant: [
      { value: 1.5, dtype: 'float32' },
      { value: Number.NaN, dtype: 'int32' },
      { value: -Infinity, dtype: 'bool' },
      { dtype: 'float16', value: 0 },
      { value: '1', dtype: 'float32' },
      { value: 1, dtype: 'float64' },
      { value: 1, dtype: 'float32', extra: true },
      { value: 1 },
      { value: 1, dtype: undefined },
      Object.assign(Object.create(null), { value: 1, dtype: 'float32' }),
      polluted,
      [1, 'float32'],
      null,
      undefined,
    ],
    broadcast: [
      { shape: [2, 3] },
      { shape: [] },
      { shape: [0, 1] },
      { shape: [-1] },
      { shape: [1.5] },
      { shape: [2 ** 53] },
      { shape: [Number.NaN] },
      { shape: ['2'] },
      { shape: { 0: 2, length: 1 } },
      { shape: [2], axes: [0] },
      {},
      null,
    ],
  };

  for (const [op, list] of Object.entries(samples)) {
    it(`${op}: every quick yes is a schema yes, every quick no is left to the schema`, () => {
      const def = getOp(op);
      expect(def.quickAttrs).toBeTypeOf('function');
      let yes = 0;
      for (const attrs of list) {
        const schemaOk = checkSchema(def.attrs, attrs ?? {}).success;
        if (def.quickAttrs!(attrs)) {
          yes++;
          expect(schemaOk, JSON.stringify(attrs)).toBe(true);
        }
        if (schemaOk) expect(validateAttrs(op, attrs)).toBe(attrs);
        else expect(() => validateAttrs(op, attrs)).toThrow(AttrError);
      }
      expect(yes).toBeGreaterThanOrEqual(3);
    });
  }

  it("bad attrs still get the schema's message", () => {
    expect(() => validateAttrs('broadcast', { shape: [-1] })).toThrow(
      "broadcast: attribute 'shape.0': Too small: expected number to be >=0",
    );
    expect(() => validateAttrs('constant', { value: 1, dtype: 'float64' })).toThrow(/attribute 'dtype'/);
  });
});
