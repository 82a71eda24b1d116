import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A bundler puts Paradox and the user's code in one file, so the file name cannot tell their frames
 * apart: the location of a traced op must still be the user's call, not Paradox's code.
 */
const fixture = fileURLToPath(new URL('./fixtures/bundled-user.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paradox-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Traced {
  op: string;
  loc?: { file: string; line: number; column?: number };
}

type Minifier = 'none' | 'esbuild' | 'terser';

async function bundleAndRun(
  minifier: Minifier,
): Promise<{ traced: Traced[]; lines: string[]; file: string }> {
  const esbuild = await import('esbuild');
  const file = join(dir, `bundle-${minifier}.mjs`);
  await esbuild.build({
    entryPoints: [fixture],
    bundle: true,
    outfile: file,
    format: 'esm',
    platform: 'node',
    minify: minifier === 'esbuild',
    conditions: ['@paradox/development'],
    logLevel: 'silent',
  });
  if (minifier === 'terser') {
    // webpack's production minifier: inlines functions and drops reads it deems pure.
    const { minify } = await import('terser');
    const out = await minify(readFileSync(file, 'utf8'), { module: true });
    writeFileSync(file, out.code!);
  }
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  return { traced: JSON.parse(out.trim()) as Traced[], lines: readFileSync(file, 'utf8').split('\n'), file };
}

describe.each<Minifier>([
  'none',
  'esbuild',
  'terser',
])('trace locations in one bundle (minifier: %s)', (minifier) => {
  it("point at the user's calls", async () => {
    const { traced, lines, file } = await bundleAndRun(minifier);
    const located = traced.filter((t) => t.op === 'mul' || t.op === 'exp');
    expect(located.map((t) => t.op)).toEqual(['mul', 'exp']);
    for (const { op, loc } of located) {
      expect(loc?.file).toBe(file);
      // V8 reports a method call at its property name: the text there is the user's `.mul(` / `.exp(`.
      const text = lines[loc!.line - 1]!.slice(loc!.column! - 1);
      expect(text.startsWith(`${op}(`), `${op} at ${loc!.line}:${loc!.column}: ${text.slice(0, 40)}`).toBe(
        true,
      );
      expect(lines[loc!.line - 1]!.slice(Math.max(0, loc!.column! - 41), loc!.column! + 20)).toMatch(
        /\.mul\(2\)\.exp\(\)/,
      );
    }
  });
});
