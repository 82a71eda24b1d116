import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

/** An external compiler found on this machine. */
export interface Tool {
  /** The name it was looked up by (`gcc`, `cc`, `clang`, `g++`, ...), or the override's file name. */
  name: string;
  path: string;
}

/** A host C (or C++) compiler with the facts that decide what it produces. */
export interface HostCompiler extends Tool {
  /** First line of `<compiler> --version` (e.g. `gcc (Debian 12.2.0-14) 12.2.0`). */
  version: string;
  /** `gcc` or `clang`: the flag dialect (both accept -O3, -march, -fopenmp with their runtime). */
  family: 'gcc' | 'clang' | 'unknown';
}

function isExecutableFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** First of `names` found in a PATH directory (the process PATH unless given). */
export function searchPath(names: readonly string[], pathVar = process.env.PATH ?? ''): string | undefined {
  const dirs = pathVar.split(delimiter).filter(Boolean);
  for (const name of names)
    for (const dir of dirs) if (isExecutableFile(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * A tool named by the environment variable `envVar` (an absolute path, or a name looked up on
 * PATH), else the first of `names` on PATH, else the first that exists under `extraDirs`.
 */
export function findTool(
  envVar: string,
  names: readonly string[],
  extraDirs: readonly string[] = [],
): Tool | undefined {
  const override = process.env[envVar];
  if (override) {
    const path = isAbsolute(override)
      ? existsSync(override)
        ? override
        : undefined
      : searchPath([override]);
    return path ? { name: names[0]!, path } : undefined;
  }
  const path = searchPath(names) ?? extraDirs.map((d) => join(d, names[0]!)).find(isExecutableFile);
  return path ? { name: names[0]!, path } : undefined;
}

/** A C++17 compiler (PARADOX_CXX overrides; g++ then clang++, c++). */
export function findCxx(): Tool | undefined {
  return findTool('PARADOX_CXX', ['g++', 'clang++', 'c++']);
}

/** The C compiler: `$CC` (a path or a name on PATH), else cc, gcc, clang from PATH. */
export function findCc(): Tool | undefined {
  const override = process.env.CC;
  if (override) {
    const path = isAbsolute(override)
      ? isExecutableFile(override)
        ? override
        : undefined
      : searchPath([override]);
    return path ? { name: override, path } : undefined;
  }
  for (const name of ['cc', 'gcc', 'clang']) {
    const path = searchPath([name]);
    if (path) return { name, path };
  }
  return undefined;
}

const versions = new Map<string, string>();

/** `tool --version`'s whole output (cached per path); throws when the tool does not run. */
function versionText(tool: Tool): string {
  let v = versions.get(tool.path);
  if (v === undefined) {
    v = execFileSync(tool.path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    versions.set(tool.path, v);
  }
  return v;
}

/** `tool --version`'s first line; throws when the tool does not run. */
export function compilerVersion(tool: Tool): string {
  return versionText(tool).split('\n')[0]!.trim();
}

/** The C compiler with its version, or the reason there is none usable. */
export function describeCc(): HostCompiler | { reason: string } {
  const tool = findCc();
  if (!tool) {
    return {
      reason: process.env.CC
        ? `CC=${process.env.CC} is not an executable file`
        : 'no C compiler (cc, gcc or clang) on PATH; install one, e.g. `apt-get install gcc`, or set CC',
    };
  }
  try {
    const version = compilerVersion(tool);
    const text = versionText(tool);
    const family = /clang/i.test(text)
      ? 'clang'
      : /gcc|g\+\+|free software foundation/i.test(text)
        ? 'gcc'
        : 'unknown';
    return { ...tool, version, family };
  } catch (error) {
    return { reason: `${tool.path} --version failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** This CPU, as far as code generated with -march=native depends on it (model name and core count aside). */
export function cpuSignature(): string {
  const model = cpus()[0]?.model ?? 'unknown';
  return `${process.arch} ${model}`;
}
