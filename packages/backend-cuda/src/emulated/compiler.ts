import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CudaCompileError, CudaUnavailableError } from '../errors.js';
import { findCxx, type Tool } from '../toolchain.js';
import { renderEmulatedBinary } from './harness.js';

/** The directory holding cuda_emu.h and harness.h. */
export const EMU_INCLUDE_DIR = fileURLToPath(new URL('../../emu/', import.meta.url));

export interface EmulationCompilerOptions {
  /** Where binaries are cached by content hash (default: $PARADOX_CUDA_EMU_CACHE or <tmpdir>/paradox-cuda-emu). */
  cacheDir?: string;
  /**
   * Optimize the emulated code (-O2). Off by default: -O0 compiles in less than half the time,
   * and the test programs are small enough that running them costs next to nothing.
   */
  optimize?: boolean;
  /** Extra C++ compiler flags. */
  extraFlags?: string[];
  /** Programs per translation unit when building a batch (several units compile in parallel). */
  programsPerUnit?: number;
}

/** One program inside a compiled emulation binary. */
export interface EmulatedEntry {
  binary: string;
  index: number;
}

// Warnings are errors, except two the generated code triggers legitimately: helpers it may not call, and
// x != x on ints when a graph compares a value with itself.
const BASE_FLAGS = [
  '-std=c++17',
  '-Wall',
  '-Werror',
  '-Wno-unused-function',
  '-Wno-tautological-compare',
  '-x',
  'c++',
];

/**
 * Compiles emulated programs (C++ from harness.ts) into binaries with the host C++ compiler.
 * Binaries are cached on disk by the hash of their source, headers and flags, so a second test
 * run compiles nothing; a batch puts many programs in few translation units (the compiler's
 * start-up and header parsing dominate the cost of a small kernel).
 */
export class EmulationCompiler {
  readonly cacheDir: string;
  private readonly flags: string[];
  private readonly perUnit: number;
  private readonly headerHash: string;
  private tool: Tool | undefined;

  constructor(options: EmulationCompilerOptions = {}) {
    this.cacheDir =
      options.cacheDir ?? process.env.PARADOX_CUDA_EMU_CACHE ?? join(tmpdir(), 'paradox-cuda-emu');
    this.flags = [...BASE_FLAGS, options.optimize ? '-O2' : '-O0', ...(options.extraFlags ?? [])];
    this.perUnit = options.programsPerUnit ?? 48;
    const headers = ['cuda_emu.h', 'harness.h']
      .map((h) => readFileSync(join(EMU_INCLUDE_DIR, h), 'utf8'))
      .join('\0');
    this.headerHash = sha256(headers + '\0' + this.flags.join(' '));
    pruneCache(this.cacheDir);
  }

  /** Splits `count` programs into translation units: at most `programsPerUnit` each, enough to keep every job slot busy. */
  unitSizes(count: number): number[] {
    const units = Math.max(Math.ceil(count / this.perUnit), Math.min(MAX_JOBS, Math.ceil(count / 8)));
    const size = Math.ceil(count / Math.max(1, units));
    const sizes: number[] = [];
    for (let left = count; left > 0; left -= size) sizes.push(Math.min(size, left));
    return sizes;
  }

  /** Compiles program texts (namespaces p<i> in order) into one binary; entry i serves programs[i]. */
  async compile(programs: readonly ((ns: string) => string)[]): Promise<EmulatedEntry[]> {
    const binary = await this.build(renderEmulatedBinary(programs.map((render, i) => render(`p${i}`))));
    return programs.map((_, index) => ({ binary, index }));
  }

  /** Path of the binary built from `source`, compiling it unless cached. */
  private async build(source: string): Promise<string> {
    const key = sha256(this.headerHash + '\0' + source).slice(0, 32);
    const dir = join(this.cacheDir, key);
    const binary = join(dir, 'program');
    if (existsSync(binary)) {
      try {
        utimesSync(dir, new Date(), new Date()); // marks the entry as used (see pruneCache)
      } catch {
        // best effort: the entry was pruned by another process at this very moment
      }
      return binary;
    }
    const cxx = this.compilerTool();
    const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(staging, { recursive: true });
    const file = join(staging, 'main.cpp');
    writeFileSync(file, source);
    try {
      await run(cxx.path, [...this.flags, '-I', EMU_INCLUDE_DIR, file, '-o', join(staging, 'program')]).catch(
        (error: Error) => {
          throw new CudaCompileError(`${cxx.name} (CPU emulation)`, error.message, source);
        },
      );
      try {
        renameSync(staging, dir);
      } catch {
        // Another process built the same binary first; use theirs.
        if (!existsSync(binary)) throw new Error(`could not move ${staging} to ${dir}`);
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return binary;
  }

  private compilerTool(): Tool {
    this.tool ??= findCxx();
    if (!this.tool) {
      throw new CudaUnavailableError(
        'no C++ compiler found for the CUDA CPU emulation (install g++ or set PARADOX_CXX)',
      );
    }
    return this.tool;
  }
}

/** Compiler processes running at once, across every EmulationCompiler of this process. */
const MAX_JOBS = Math.max(1, Math.min(4, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

async function run(file: string, args: string[]): Promise<void> {
  if (running >= MAX_JOBS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    await spawnCompiler(file, args);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCompiler(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 << 20 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr || error.message));
      else resolve();
    });
  });
}

/**
 * Removes staging directories older than an hour (compiler runs that were killed) and binaries
 * unused for a week.
 */
function pruneCache(cacheDir: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(cacheDir)) {
      const path = join(cacheDir, name);
      const age = now - statSync(path).mtimeMs;
      if (age > (name.includes('.tmp-') ? 3600_000 : 7 * 86400_000))
        rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // Best effort: a missing or shared cache directory is fine.
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
