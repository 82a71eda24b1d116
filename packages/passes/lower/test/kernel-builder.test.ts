import { describe, expect, it } from 'vitest';
import { KernelBuilder } from '../src/kernel-builder.js';

describe('KernelBuilder shares only identical exprs (issue 24 item 1)', () => {
  it('keeps NaN, Infinity, -Infinity, 0 and -0 constants apart', () => {
    const b = new KernelBuilder({ domain: [2], reduce: [] });
    const values = [NaN, Infinity, -Infinity, 0, -0, 1];
    const ids = values.map((v) => b.const(v, 'float32'));
    expect(new Set(ids).size).toBe(values.length);
    for (const [i, id] of ids.entries()) {
      expect(Object.is((b.exprs[id] as { value: number }).value, values[i])).toBe(true);
    }
    // Identical constants are still shared.
    expect(b.const(NaN, 'float32')).toBe(ids[0]);
    expect(b.const(-0, 'float32')).toBe(ids[4]);
  });
});
