import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '@paradox/testing-browser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * In a bundle that puts Paradox and the user's code in one file, the backward pass's nodes point at
 * the user's forward op they differentiate (its VJP rule runs inside Paradox, after the user's code
 * returned, where no stack frame names the user's code).
 */
const fixture = fileURLToPath(new URL('./fixtures/bundled-grad.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paradox-bundled-grad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Traced {
  op: string;
  loc?: { file: string; line: number; column: number };
}

describe.each([false, true])('gradient nodes in one bundle (minified: %s)', (minify) => {
  it("point at the user's forward ops", async () => {
    const file = join(dir, `bundle-${minify}.mjs`);
    await bundleForNode(fixture, file, minify);
    const traced = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as Traced[];
    const lines = readFileSync(file, 'utf8').split('\n');
    const offset = ({ line, column }: { line: number; column: number }) =>
      lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    const userCodeStarts = lines.join('\n').indexOf('user code starts here');
    const text = (loc: { line: number; column: number }) => lines[loc.line - 1]!.slice(loc.column - 1);

    // The fresh differentiated leaf (an identity reshape) is made before the user's code runs.
    const [leaf, ...rest] = traced;
    expect(leaf!.op).toBe('reshape');
    for (const { op, loc } of rest) {
      expect(loc?.file, op).toBe(file);
      expect(offset(loc!), `${op} at ${loc!.line}:${loc!.column}`).toBeGreaterThan(userCodeStarts);
    }
    // Forward: mul, exp, sum at the user's `.mul(`, `.exp(`, `.sum(`; each backward node at its forward op.
    const forward = new Map(rest.slice(0, 3).map(({ op, loc }) => [op, loc!]));
    expect([...forward.keys()]).toEqual(['mul', 'exp', 'sum']);
    for (const [op, loc] of forward) expect(text(loc).startsWith(`${op}(`), `${op}: ${text(loc)}`).toBe(true);
    const at = (op: string) => `${forward.get(op)!.line}:${forward.get(op)!.column}`;
    const backward = rest.slice(3).map(({ op, loc }) => `${op}@${loc!.line}:${loc!.column}`);
    // The seed cotangent and sum's VJP (a broadcast) at `.sum(`, exp's VJP (a mul by exp) at `.exp(`,
    // mul's VJP (x * ct twice, added) at `.mul(`.
    expect(backward).toEqual([
      `full@${at('sum')}`,
      `reshape@${at('sum')}`,
      `broadcast@${at('sum')}`,
      `mul@${at('exp')}`,
      `mul@${at('mul')}`,
      `mul@${at('mul')}`,
      `add@${at('mul')}`,
    ]);
  });
});
