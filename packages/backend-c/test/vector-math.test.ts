import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CCompiler } from '../src/index.js';
import { VECTOR_MATH } from '../src/render/vector_math.js';

// The vectorisable float32 math compiled with the backend's flags, against float64 Math.* rounded
// to float32, over a sweep of float32 values (including the Payne-Hanek range of sin/cos up to
// 3e38) and the special values.
const compiler = new CCompiler();
const dir = mkdtempSync(join(tmpdir(), 'paradox-c-math-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles a C program with the backend's flags (as an executable) and returns what it prints. */
function runC(name: string, source: string, input?: string): string {
  const file = join(dir, `${name}.c`);
  const binary = join(dir, name);
  writeFileSync(file, source);
  const flags = compiler.flags().filter((f) => f !== '-shared' && f !== '-fPIC' && !f.startsWith('-Wl,'));
  execFileSync(compiler.compiler.path, [...flags, file, '-o', binary, '-lm']);
  return execFileSync(binary, input === undefined ? {} : { input }).toString();
}

const FNS = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  sin: Math.sin,
  cos: Math.cos,
} as const;

function sweep(): Float32Array {
  const values: number[] = [
    Number.NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1e-45,
    1e-38,
    88.7,
    88.8,
    -103.9,
    -104,
    8192,
    8193,
  ];
  for (let i = 0; i < 4000; i++) {
    const magnitude = 10 ** (-6 + (44 * i) / 4000);
    values.push(magnitude, -magnitude);
  }
  for (let i = 0; i < 2000; i++) values.push(-20 + i * 0.02);
  return Float32Array.from(values);
}

describe.skipIf(compiler.unavailableReason !== undefined || process.platform === 'win32')(
  'vector math',
  () => {
    it('exp, log, tanh, sigmoid, sin and cos stay within 2e-6 relative (1e-6 absolute near 0)', () => {
      const xs = sweep();
      const names = Object.keys(FNS);
      const source = `#include <stdio.h>\n#include <math.h>\n#include <stdlib.h>\n${VECTOR_MATH}
int main(void) {
  unsigned u;
  while (scanf("%x", &u) == 1) {
    float x = px_bits_f(u);
    printf("%08x %08x %08x %08x %08x %08x\\n", px_f_bits(px_expf(x)), px_f_bits(px_logf(x)), px_f_bits(px_tanhf(x)),
      px_f_bits(px_sigmoidf(x)), px_f_bits(px_sinf(x)), px_f_bits(px_cosf(x)));
  }
  return 0;
}
`;
      const bits = new Uint32Array(xs.buffer);
      const out = runC('math', source, [...bits].map((b) => b.toString(16)).join('\n'));
      const rows = out.trim().split('\n');
      expect(rows).toHaveLength(xs.length);
      const problems: string[] = [];
      const view = new DataView(new ArrayBuffer(4));
      rows.forEach((row, i) => {
        row.split(' ').forEach((hex, k) => {
          view.setUint32(0, Number.parseInt(hex, 16));
          const got = view.getFloat32(0);
          const x = xs[i]!;
          const want = Math.fround(FNS[names[k] as keyof typeof FNS](x));
          const ok = Number.isNaN(want)
            ? Number.isNaN(got)
            : got === want || Math.abs(got - want) <= 1e-6 + 2e-6 * Math.abs(want);
          // Odd functions keep the sign of a zero argument.
          const odd = names[k] === 'sin' || names[k] === 'tanh';
          const signOk = want !== 0 || Object.is(got, want) || !odd || x !== 0;
          if (!ok || !signOk) problems.push(`${names[k]}(${x}) = ${got}, want ${want}`);
        });
      });
      expect(problems.slice(0, 10)).toEqual([]);
    });

    it('px_expf_np (for x <= 0 or NaN) equals px_expf on every such float32', () => {
      // All 2^31 floats with the sign bit set (-0 to -Inf and the negative NaNs), and positive NaNs.
      const source = `#include <stdio.h>\n#include <math.h>\n${VECTOR_MATH}
int main(void) {
  unsigned long long differ = 0;
  for (long long hi = 0; hi <= 32768; hi++) {
    unsigned d = 0;
    #pragma omp simd reduction(+:d)
    for (unsigned lo = 0; lo < 65536; lo++) {
      unsigned u = hi < 32768 ? 0x80000000u | (unsigned)(hi << 16) | lo : 0x7f800001u + lo * 127u;
      float x = px_bits_f(u), a = px_expf(x), b = px_expf_np(x);
      d += px_f_bits(a) != px_f_bits(b) && !(a != a && b != b);
    }
    differ += d;
  }
  printf("%llu %08x %08x\\n", differ, px_f_bits(px_expf_np(-1.0f)), px_f_bits(px_expf_np(-100.0f)));
  return 0;
}
`;
      const [differ, one, hundred] = runC('expnp', source).trim().split(' ');
      expect(differ).toBe('0');
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, Number.parseInt(one!, 16));
      expect(view.getFloat32(0)).toBeCloseTo(Math.exp(-1), 7);
      view.setUint32(0, Number.parseInt(hundred!, 16));
      expect(view.getFloat32(0)).toBe(Math.fround(Math.exp(-100))); // a subnormal result, rounded once
    });
  },
);
