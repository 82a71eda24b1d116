import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtefactCache,
  artefactKey,
  cpuSignature,
  describeCc,
  type HostCompiler,
  sha256,
} from '@paradox/codegen-c';
import { compileQueue } from './compile-queue.js';
import { CCompileError, CUnavailableError } from './errors.js';

export interface BuiltObject {
  path: string;
  key: string;
  cached: boolean;
}

export interface CompilerOptions {
  /** 'native' (default): -march=native; 'portable': the compiler's default target. */
  target?: 'native' | 'portable';
  /** Where shared objects are cached (default `$XDG_CACHE_HOME/paradox` or `~/.cache/paradox`). */
  cacheDir?: string;
}

// -fno-math-errno and -fno-trapping-math change no result (nothing reads errno or FP flags) but
// let sqrt inline and conditional float code vectorise. No -ffast-math: NaN, Inf and signed zeros
// must behave as the reference says. -ffp-contract=off: a multiply-add fused by the compiler keeps an
// overflowing float32 product finite (the reference rounds it to Inf first); the matmul
// micro-kernel fuses explicitly, only when its operands are bounded. -z nodelete keeps a loaded program (and libgomp, which it
// pulls in) mapped for the life of the process: idle OpenMP threads must never outlive their code.
const BASE_FLAGS = [
  '-std=gnu11',
  '-O3',
  '-fPIC',
  '-shared',
  '-fno-math-errno',
  '-fno-trapping-math',
  '-ffp-contract=off',
  '-Wl,-z,nodelete',
];

/** How many times the compiler actually ran in this process (tests check cache hits). */
export const compilerStats = { invocations: 0 };

/**
 * Compiles C translation units into shared objects with the host compiler, through a disk
 * cache keyed by source + compiler version + flags + CPU, so a second process compiling the
 * same program never runs the compiler.
 */
export class CCompiler {
  readonly cache: ArtefactCache;
  private readonly cc: HostCompiler | { reason: string };
  private openmp: boolean | undefined;
  private probing: Promise<void> | undefined;
  /** Background builds in flight, by cache key: the same program asked for twice runs the compiler once. */
  private readonly building = new Map<string, Promise<BuiltObject>>();
  readonly target: 'native' | 'portable';

  constructor(options: CompilerOptions = {}) {
    this.cc = describeCc();
    this.target = options.target ?? 'native';
    this.cache = new ArtefactCache(options.cacheDir);
    this.cache.prune();
  }

  /** Why there is no compiler, or undefined when there is one. */
  get unavailableReason(): string | undefined {
    return 'reason' in this.cc ? this.cc.reason : undefined;
  }

  get compiler(): HostCompiler {
    if ('reason' in this.cc) throw new CUnavailableError(this.cc.reason);
    return this.cc;
  }

  /** Compiler flags for a program (OpenMP when the compiler supports it). */
  flags(): string[] {
    const arch = this.target === 'native' ? ['-march=native'] : [];
    return [...BASE_FLAGS, ...arch, ...(this.supportsOpenMp() ? ['-fopenmp'] : [])];
  }

  /** The cache key of `source` under the current compiler and flags. */
  key(source: string): string {
    const cc = this.compiler;
    return artefactKey({
      source,
      compiler: `${cc.path}\n${cc.version}`,
      flags: this.flags(),
      cpu: cpuSignature(),
    });
  }

  /** Path of the shared object built from `source`: from the disk cache, or compiled now and cached. */
  build(source: string): BuiltObject {
    const key = this.key(source);
    const hit = this.cache.lookup(key);
    if (hit) return { path: hit, key, cached: true };
    const bytes = this.compile(source, this.flags());
    return { path: this.cache.store(key, bytes), key, cached: false };
  }

  /**
   * As build(), but the compiler runs as a child process (through the shared compile queue), so the
   * event loop stays free while it works.
   */
  buildAsync(source: string): Promise<BuiltObject> {
    const key = this.key(source);
    const hit = this.cache.lookup(key);
    if (hit) return Promise.resolve({ path: hit, key, cached: true });
    let pending = this.building.get(key);
    if (!pending) {
      pending = compileQueue
        .run(() => this.runAsync(source, [...this.flags(), '-lm'], 'program.so'))
        .then((bytes) => ({ path: this.cache.store(key, bytes), key, cached: false }))
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  /** The assembly the compiler makes of `source` with the program flags (tests read it for vector instructions). */
  assembly(source: string): string {
    const flags = this.flags().filter((f) => f !== '-shared' && !f.startsWith('-Wl,'));
    return this.run(source, [...flags, '-S'], 'program.s').toString('utf8');
  }

  private compile(source: string, flags: string[]): Uint8Array {
    return this.run(source, [...flags, '-lm'], 'program.so');
  }

  /** Runs the compiler on `source` with `flags`, returning the bytes of `output`. */
  private run(source: string, flags: string[], output: string): Buffer {
    const cc = this.compiler;
    const dir = mkdtempSync(join(tmpdir(), 'paradox-c-'));
    const file = join(dir, 'program.c');
    const object = join(dir, output);
    writeFileSync(file, source);
    try {
      compilerStats.invocations++;
      execFileSync(cc.path, [...flags, file, '-o', object], {
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      });
      return readFileSync(object);
    } catch (error) {
      throw this.rejected(source, error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** run(), with the compiler as a child process. */
  private async runAsync(source: string, flags: string[], output: string): Promise<Buffer> {
    const cc = this.compiler;
    const dir = await mkdtemp(join(tmpdir(), 'paradox-c-'));
    const file = join(dir, 'program.c');
    const object = join(dir, output);
    try {
      await writeFile(file, source);
      compilerStats.invocations++;
      await new Promise<void>((resolve, reject) => {
        execFile(cc.path, [...flags, file, '-o', object], { maxBuffer: 64 << 20 }, (error, _out, stderr) =>
          error ? reject(Object.assign(error, { stderr })) : resolve(),
        );
      });
      return await readFile(object);
    } catch (error) {
      throw this.rejected(source, error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private rejected(source: string, error: unknown): CCompileError {
    const log = String((error as { stderr?: Buffer | string }).stderr || (error as Error).message);
    return new CCompileError(this.compiler.name, log, this.keepSource(source));
  }

  /** Writes a rejected source next to the cache (for the error message and bug reports). */
  private keepSource(source: string): string {
    const path = join(tmpdir(), `paradox-c-failed-${sha256(source).slice(0, 16)}.c`);
    writeFileSync(path, source);
    return path;
  }

  /** Whether `-fopenmp` compiles and links (clang without libomp does not); probed once, the answer cached on disk. */
  private supportsOpenMp(): boolean {
    if (this.openmp === undefined) {
      const { key, flags } = this.probeKey();
      if (this.cache.lookup(key)) this.openmp = true;
      else {
        try {
          this.cache.store(key, this.compile(OPENMP_PROBE, flags));
          this.openmp = true;
        } catch {
          this.openmp = false;
        }
      }
    }
    return this.openmp;
  }

  /** Settles the OpenMP probe with the compiler as a child process (buildAsync's callers run it first). */
  probeAsync(): Promise<void> {
    this.probing ??= (async () => {
      if (this.openmp !== undefined) return;
      const { key, flags } = this.probeKey();
      if (this.cache.lookup(key)) this.openmp = true;
      else {
        try {
          const bytes = await compileQueue.run(() =>
            this.runAsync(OPENMP_PROBE, [...flags, '-lm'], 'program.so'),
          );
          this.cache.store(key, bytes);
          this.openmp = true;
        } catch {
          this.openmp = false;
        }
      }
    })();
    return this.probing;
  }

  private probeKey(): { key: string; flags: string[] } {
    const cc = this.compiler;
    const flags = [...BASE_FLAGS, '-fopenmp'];
    const key = artefactKey({
      source: OPENMP_PROBE,
      compiler: `${cc.path}\n${cc.version}`,
      flags,
      cpu: cpuSignature(),
    });
    return { key, flags };
  }
}

const OPENMP_PROBE =
  'int px_probe(int n) {\n  int s = 0;\n#pragma omp parallel for reduction(+:s)\n  for (int i = 0; i < n; ++i) s += i;\n  return s;\n}\n';
