import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runW1Child } from './helpers.js';

// A machine without a C compiler: PATH holds no tools and CC is unset. Importing still works,
// 'c' says why it is unavailable, and jit on 'c' runs the function eagerly after one warning.
const empty = mkdtempSync(join(tmpdir(), 'paradox-no-cc-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('backend-c without a C compiler', () => {
  it('is unavailable with the reason, and jit falls back with one warning', async () => {
    const report = await runW1Child({ PATH: empty, CC: undefined, PARADOX_CACHE_DIR: join(empty, 'cache') });
    expect(report.reason).toMatch(/no C compiler \(cc, gcc or clang\) on PATH/);
    expect(report.invocations).toBe(0);
    expect(report.maxError).toBeLessThan(1e-5);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/backend 'c'.*unavailable: no C compiler/);
  });

  it('names a CC that is not there', async () => {
    const report = await runW1Child({
      CC: join(empty, 'no-such-cc'),
      PARADOX_CACHE_DIR: join(empty, 'cache'),
    });
    expect(report.reason).toMatch(/no-such-cc is not an executable file/);
    expect(report.warnings).toHaveLength(1);
  });
});
