import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Locates the external compilers the backend's offline paths use: `nvcc` (CUDA C -> PTX checks)
 * and a C++ compiler (the CPU emulation). An environment variable overrides each search.
 */
export interface Tool {
  name: string;
  path: string;
}

function searchPath(names: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function find(envVar: string, names: readonly string[], extraDirs: readonly string[] = []): Tool | undefined {
  const override = process.env[envVar];
  if (override) return existsSync(override) ? { name: names[0]!, path: override } : undefined;
  const path = searchPath(names) ?? extraDirs.map((d) => join(d, names[0]!)).find((p) => existsSync(p));
  return path ? { name: names[0]!, path } : undefined;
}

/** nvcc (PARADOX_NVCC overrides; also looked for under $CUDA_HOME/bin and /usr/local/cuda/bin). */
export function findNvcc(): Tool | undefined {
  const dirs = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda']
    .filter((d): d is string => !!d)
    .map((d) => join(d, 'bin'));
  return find('PARADOX_NVCC', ['nvcc'], dirs);
}

/** A C++17 compiler for the CPU emulation (PARADOX_CXX overrides; g++ then clang++). */
export function findCxx(): Tool | undefined {
  return find('PARADOX_CXX', ['g++', 'clang++', 'c++']);
}
