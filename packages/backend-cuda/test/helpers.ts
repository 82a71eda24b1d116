import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMU_INCLUDE_DIR } from '../src/emulated/compiler.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

const scratch: string[] = [];

/** A fresh temporary directory for one test file's artifacts (removed by removeScratchDirs). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `paradox-cuda-${prefix}-`));
  scratch.push(dir);
  return dir;
}

/** Removes every directory scratchDir made in this test file (use in afterAll). */
export function removeScratchDirs(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Compiles a C++ file against the emulation header (throws with the compiler's output on failure). */
export function compileEmulated(cxx: string, source: string, output: string, flags: string[] = []): void {
  execFileSync(
    cxx,
    [
      '-std=c++17',
      '-O1',
      '-Wall',
      '-Wextra',
      '-Werror',
      ...flags,
      '-I',
      EMU_INCLUDE_DIR,
      '-I',
      FIXTURES,
      '-x',
      'c++',
      source,
      '-o',
      output,
    ],
    {
      stdio: 'pipe',
    },
  );
}

/** Runs a binary; returns exit status, stdout and stderr as text. */
export function runBinary(
  path: string,
  args: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
