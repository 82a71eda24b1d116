import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CCompileError, CCompiler } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'paradox-c-compiler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const compiler = new CCompiler({ cacheDir: dir });

describe.skipIf(compiler.unavailableReason !== undefined)('backend-c compiler', () => {
  it('turns a compiler error into CCompileError with the message and the kept source', () => {
    const source = 'void px_run(int threads) { undeclared_identifier = threads; }\n';
    let error: unknown;
    try {
      compiler.build(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CCompileError);
    const e = error as CCompileError;
    expect(e.code).toBe('C_COMPILE');
    expect(e.log).toMatch(/undeclared_identifier/);
    expect(e.message).toContain(e.sourcePath);
    expect(existsSync(e.sourcePath)).toBe(true);
    expect(readFileSync(e.sourcePath, 'utf8')).toBe(source);
    rmSync(e.sourcePath);
  });

  it('keys on flags: a portable build is a different artefact', () => {
    const portable = new CCompiler({ cacheDir: dir, target: 'portable' });
    expect(portable.flags()).not.toContain('-march=native');
    expect(compiler.flags()).toContain('-march=native');
    expect(portable.key('int x;')).not.toBe(compiler.key('int x;'));
  });
});
