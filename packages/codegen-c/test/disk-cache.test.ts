import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtefactCache, artefactKey, defaultCacheDir } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'paradox-cache-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ArtefactCache', () => {
  const key = artefactKey({
    source: 'int f(void){return 1;}',
    compiler: 'gcc 12',
    flags: ['-O3'],
    cpu: 'x64 test',
  });

  it('keys on source, compiler, flags and CPU', () => {
    const base = { source: 's', compiler: 'c', flags: ['-O3'], cpu: 'x' };
    const keys = new Set([
      artefactKey(base),
      artefactKey({ ...base, source: 's2' }),
      artefactKey({ ...base, compiler: 'c2' }),
      artefactKey({ ...base, flags: ['-O2'] }),
      artefactKey({ ...base, cpu: 'y' }),
    ]);
    expect(keys.size).toBe(5);
    expect(artefactKey(base)).toBe(artefactKey({ ...base }));
  });

  it('stores in a 0700 directory and finds the artefact again', () => {
    const cache = new ArtefactCache(join(root, 'a', 'paradox'));
    expect(cache.lookup(key)).toBeUndefined();
    const path = cache.store(key, new Uint8Array([1, 2, 3]));
    expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
    expect(cache.lookup(key)).toBe(path);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it('rejects (and removes) an artefact whose bytes do not match the recorded hash', () => {
    const cache = new ArtefactCache(join(root, 'b'));
    const path = cache.store(key, new Uint8Array([1, 2, 3]));
    writeFileSync(path, new Uint8Array([1, 2, 4]));
    expect(cache.lookup(key)).toBeUndefined();
    expect(() => statSync(path)).toThrow();
    cache.store(key, new Uint8Array([9]));
    writeFileSync(`${path}.sha256`, 'not a hash\n');
    expect(cache.lookup(key)).toBeUndefined();
  });

  it('refuses keys that are not hex (no path tricks)', () => {
    const cache = new ArtefactCache(join(root, 'c'));
    expect(() => cache.path('../../etc/passwd')).toThrow(/hex/);
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache', () => {
    const saved = { xdg: process.env.XDG_CACHE_HOME, own: process.env.PARADOX_CACHE_DIR };
    try {
      delete process.env.PARADOX_CACHE_DIR;
      process.env.XDG_CACHE_HOME = '/some/xdg';
      expect(defaultCacheDir()).toBe('/some/xdg/paradox');
      delete process.env.XDG_CACHE_HOME;
      expect(defaultCacheDir()).toMatch(/\.cache\/paradox$/);
    } finally {
      if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved.xdg;
      if (saved.own !== undefined) process.env.PARADOX_CACHE_DIR = saved.own;
    }
  });
});
