import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsTriad } from '../src/limits/js-stream.js';
import { buildNativeProbe, findCompiler, nativeFma, nativeTriad } from '../src/limits/native.js';

const compiler = findCompiler();

describe('machine-limit probes', () => {
  it('JS triad computes a positive bandwidth', () => {
    const p = jsTriad(1 << 16, 2);
    expect(p.unit).toBe('GB/s');
    expect(p.value).toBeGreaterThan(0);
  });

  it.skipIf(!compiler)('the C++ probe compiles with -O3 -march=native and runs both probes', () => {
    const bin = buildNativeProbe(mkdtempSync(join(tmpdir(), 'bench-native-')), compiler!.path);
    const t = nativeTriad(bin, 1 << 16, 2, 2, 'g++');
    expect(t).toMatchObject({ unit: 'GB/s', threads: 2 });
    expect(t.value).toBeGreaterThan(0);
    const f = nativeFma(bin, 10_000, 1, 'g++');
    expect(f.unit).toBe('GFLOP/s');
    expect(f.value).toBeGreaterThan(0);
    expect(f.detail).toMatch(/lanes/);
  });
});
