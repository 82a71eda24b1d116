import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCc, findCc, floatMinMax, searchPath } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'paradox-toolchain-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const cc = describeCc();

describe('host toolchain', () => {
  it('finds no compiler on a PATH without one, and says why', () => {
    withEnv({ PATH: scratch, CC: undefined }, () => {
      expect(findCc()).toBeUndefined();
      expect(describeCc()).toEqual({ reason: expect.stringMatching(/no C compiler .*apt-get install gcc/) });
    });
    withEnv({ CC: join(scratch, 'missing-cc') }, () => {
      expect(describeCc()).toEqual({ reason: expect.stringContaining('is not an executable file') });
    });
  });

  it.skipIf('reason' in cc)('reports the compiler version and family', () => {
    if ('reason' in cc) return;
    expect(cc.version.length).toBeGreaterThan(3);
    expect(['gcc', 'clang']).toContain(cc.family);
    expect(searchPath([cc.name])).toBeDefined();
  });

  // The maximum/minimum syntax compiled by the real compiler: NaN wins, signed zeros as the
  // reference (#24 item 9).
  it.skipIf('reason' in cc)('maximum/minimum match the reference on zeros and NaN', () => {
    if ('reason' in cc) return;
    const cases = [
      [0, -0],
      [-0, 0],
      [-0, -0],
      [0, 0],
      [Number.NaN, 1],
      [1, Number.NaN],
      [2, 3],
      [-5, -7],
    ] as const;
    const lit = (v: number): string => (Number.isNaN(v) ? 'NAN' : Object.is(v, -0) ? '-0.0f' : `${v}.0f`);
    const body = cases
      .map(([x, y], i) => {
        const a = `a${i}`;
        const b = `b${i}`;
        return `{ volatile float va = ${lit(x)}, vb = ${lit(y)}; float ${a} = va, ${b} = vb;
  printf("%g %g\\n", (double)${floatMinMax('max', a, b)}, (double)${floatMinMax('min', a, b)}); }`;
      })
      .join('\n');
    const file = join(scratch, 'minmax.c');
    writeFileSync(file, `#include <stdio.h>\n#include <math.h>\nint main(void) {\n${body}\nreturn 0; }\n`);
    execFileSync(cc.path, ['-O2', file, '-o', join(scratch, 'minmax')]);
    const lines = execFileSync(join(scratch, 'minmax'), { encoding: 'utf8' }).trim().split('\n');
    const show = (v: number): string => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v));
    const expected = cases.map(([x, y]) => {
      const nanOr = (f: (p: number, q: number) => number): number =>
        Number.isNaN(x) ? x : Number.isNaN(y) ? y : f(x, y);
      return `${show(nanOr(Math.max))} ${show(nanOr(Math.min))}`;
    });
    expect(lines.map((l) => l.replace(/-?nan/g, 'nan'))).toEqual(expected);
  });
});
