import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Probe } from '../types.js';
import { NATIVE_PROBE_SOURCE } from './native-source.js';

export const NATIVE_FLAGS = ['-O3', '-march=native', '-std=c++17', '-pthread'];

/** The first C++ compiler on PATH, with its version line; undefined when there is none. */
export function findCompiler(): { path: string; version: string } | undefined {
  for (const cc of ['g++', 'c++', 'clang++']) {
    const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { path: cc, version: r.stdout.split('\n')[0]!.trim() };
  }
  return undefined;
}

/** Compiles the probe program once per (source, compiler, flags) into `dir`; returns the binary path. */
export function buildNativeProbe(dir: string, compiler: string): string {
  const hash = createHash('sha256')
    .update(NATIVE_PROBE_SOURCE)
    .update(compiler)
    .update(NATIVE_FLAGS.join(' '))
    .digest('hex')
    .slice(0, 12);
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `probe-${hash}`);
  if (existsSync(bin)) return bin;
  const src = join(dir, `probe-${hash}.cpp`);
  writeFileSync(src, NATIVE_PROBE_SOURCE);
  execFileSync(compiler, [...NATIVE_FLAGS, '-o', bin, src], { stdio: ['ignore', 'ignore', 'pipe'] });
  return bin;
}

function runProbe(bin: string, args: string[]): Record<string, any> {
  const out = execFileSync(bin, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(out);
}

export function nativeTriad(bin: string, n: number, reps: number, threads: number, compiler: string): Probe {
  const r = runProbe(bin, ['triad', String(n), String(reps), String(threads)]);
  return {
    id: `c-triad-${threads}t`,
    name: `STREAM triad, C++ ${compiler} ${NATIVE_FLAGS.slice(0, 2).join(' ')}`,
    value: r.gbs,
    unit: 'GB/s',
    threads,
    detail: `${(r.bytes / 2 ** 20).toFixed(0)} MiB per pass, best of ${reps}, ${(r.bestS * 1e3).toFixed(1)} ms`,
  };
}

export function nativeFma(bin: string, iters: number, threads: number, compiler: string): Probe {
  const r = runProbe(bin, ['fma', String(iters), String(threads)]);
  return {
    id: `c-fma-${threads}t`,
    name: `FMA peak, C++ ${compiler} ${NATIVE_FLAGS.slice(0, 2).join(' ')}`,
    value: r.gflops,
    unit: 'GFLOP/s',
    threads,
    detail: `fp32 ${r.isa} (${r.lanes} lanes) x 16 independent chains, best of 3, ${(r.bestS * 1e3).toFixed(1)} ms`,
  };
}
