import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '@paradox/testing-browser';
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

interface Run {
  /** Nodes of `x.mul(2).exp()` (tensor methods). */
  traced: Traced[];
  /** Nodes of `clip(gelu(x), 0, 1)` (free functions built from other ops). */
  composites: Traced[];
  lines: string[];
  file: string;
}

/** One bundle per minifier, shared by its tests (terser takes seconds). */
const runs = new Map<Minifier, Promise<Run>>();
function bundleAndRun(minifier: Minifier): Promise<Run> {
  const run = runs.get(minifier) ?? bundle(minifier);
  runs.set(minifier, run);
  return run;
}

async function bundle(minifier: Minifier): Promise<Run> {
  const file = join(dir, `bundle-${minifier}.mjs`);
  await bundleForNode(fixture, file, minifier === 'esbuild');
  if (minifier === 'terser') {
    // webpack's production minifier: inlines functions and drops reads it deems pure.
    const { minify } = await import('terser');
    const out = await minify(readFileSync(file, 'utf8'), { module: true });
    writeFileSync(file, out.code!);
  }
  const out = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim());
  return {
    traced: out.methods,
    composites: out.composites,
    lines: readFileSync(file, 'utf8').split('\n'),
    file,
  };
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

  it("point free-function composites (gelu, clip) at the user's call, not at Paradox's code", async () => {
    const { composites, lines, file } = await bundleAndRun(minifier);
    const text = lines.join('\n');
    const userCodeStarts = text.indexOf('user code starts here');
    expect(userCodeStarts).toBeGreaterThan(0);
    const offset = ({ line, column }: { line: number; column?: number }) =>
      lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column! - 1;
    for (const { op, loc } of composites) {
      expect(loc?.file, op).toBe(file);
      expect(offset(loc!), `${op} at ${loc!.line}:${loc!.column}`).toBeGreaterThan(userCodeStarts);
    }
    // clip's nodes at the outer call `clip(`, gelu's (erf among them) at the inner call right after it.
    const at = (op: string) => composites.find((t) => t.op === op)!.loc!;
    const outer = at('maximum');
    const callee = /^[\w$]+\(/.exec(lines[outer.line - 1]!.slice(outer.column! - 1))?.[0];
    expect(callee, `clip's call at ${outer.line}:${outer.column}`).toBeDefined();
    expect(at('minimum')).toEqual(outer);
    expect(at('erf')).toEqual({ ...outer, column: outer.column! + callee!.length });
    const sites = new Set(composites.map(({ loc }) => `${loc!.line}:${loc!.column}`));
    expect(sites.size).toBe(2);
  });
});
