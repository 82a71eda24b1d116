import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCBackend } from '../src/index.js';
import { runW1Child } from './helpers.js';

// The disk cache across real processes: a second process never runs the compiler, a corrupt
// shared object is rejected (and rebuilt), and processes racing to fill one cache all succeed.
const available = createCBackend().unavailableReason === undefined;
const root = mkdtempSync(join(tmpdir(), 'paradox-c-cache-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!available)('backend-c disk cache', () => {
  it('compiles in the first process and only loads in the second', async () => {
    const env = { PARADOX_CACHE_DIR: join(root, 'across') };
    const first = await runW1Child(env);
    expect(first.invocations).toBeGreaterThan(0);
    expect(first.maxError).toBeLessThan(1e-5);
    const second = await runW1Child(env);
    expect(second.invocations).toBe(0);
    expect(second.maxError).toBeLessThan(1e-5);
  });

  it('rejects a corrupt shared object and rebuilds it', async () => {
    const dir = join(root, 'corrupt');
    await runW1Child({ PARADOX_CACHE_DIR: dir });
    const objects = readdirSync(dir).filter((f) => f.endsWith('.so'));
    expect(objects.length).toBeGreaterThan(0);
    for (const f of objects) writeFileSync(join(dir, f), 'not an ELF file');
    const after = await runW1Child({ PARADOX_CACHE_DIR: dir });
    expect(after.invocations).toBeGreaterThan(0);
    expect(after.maxError).toBeLessThan(1e-5);
  });

  it('lets concurrent processes fill one cache', async () => {
    const dir = join(root, 'race');
    const reports = await Promise.all([1, 2, 3].map(() => runW1Child({ PARADOX_CACHE_DIR: dir })));
    for (const r of reports) expect(r.maxError).toBeLessThan(1e-5);
    const names = readdirSync(dir);
    expect(names.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const objects = names.filter((f) => f.endsWith('.so'));
    expect(names.filter((f) => f.endsWith('.so.sha256'))).toHaveLength(objects.length);
    expect((await runW1Child({ PARADOX_CACHE_DIR: dir })).invocations).toBe(0);
  });
});
