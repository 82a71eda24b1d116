import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@paradox/backend';
import { createEmulatedCudaBackend, findCxx } from '@paradox/backend-cuda';
import { createJsBackend } from '@paradox/backend-js';
import { createWgslBackend, nodeGpu } from '@paradox/backend-wgsl';
import { toyBackend } from '@paradox/example-toy-backend';
import { learnErrorClasses } from './typed-errors.js';

/**
 * Every backend in the repository, found by directory (packages/backend-* and the toy example),
 * so a backend added later is fuzzed without anyone remembering to list it. Backends that need
 * options to run on this machine (WebGPU on SwiftShader, CUDA through its CPU emulation) have a
 * factory here; any other is created by its package's `create*Backend()` export.
 */
export interface FuzzBackend {
  /** Short name used in campaign names: js, wgsl, cuda-emu, toy, wasm, c... */
  name: string;
  packageName: string;
  create(): Promise<Backend>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const FACTORIES: Record<string, { name: string; create(): Promise<Backend> }> = {
  '@paradox/backend-js': { name: 'js', create: async () => createJsBackend({ name: 'js-fuzz' }) },
  '@paradox/backend-wgsl': {
    name: 'wgsl',
    create: () => createWgslBackend({ name: 'wgsl-fuzz', gpu: nodeGpu() }).ready(),
  },
  '@paradox/backend-cuda': {
    name: 'cuda-emu',
    create: async () => {
      if (!findCxx()) throw new Error('the CUDA CPU emulation needs g++, clang++ or PARADOX_CXX');
      return createEmulatedCudaBackend({ name: 'cuda-emu-fuzz' });
    },
  },
  '@paradox/example-toy-backend': { name: 'toy', create: async () => toyBackend },
};

function packageNames(): string[] {
  const dirs = [
    ...readdirSync(join(ROOT, 'packages'))
      .filter((d) => d.startsWith('backend-') && d !== 'backend-conformance')
      .map((d) => join(ROOT, 'packages', d)),
    join(ROOT, 'examples', 'toy-backend'),
  ];
  return dirs.map(
    (d) => (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name: string }).name,
  );
}

/** A package's backend: its `create*Backend()` export (called without options), or an exported Backend. */
async function genericFactory(packageName: string): Promise<Backend> {
  const mod = (await import(packageName)) as Record<string, unknown>;
  learnErrorClasses(mod);
  const create = Object.entries(mod).find(
    ([k, v]) => /^create\w*Backend$/.test(k) && typeof v === 'function',
  );
  if (create) return await (create[1] as () => Backend | Promise<Backend>)();
  const value = Object.values(mod).find(
    (v): v is Backend => typeof v === 'object' && v !== null && 'compile' in v && 'capabilities' in v,
  );
  if (!value) throw new Error(`${packageName} exports no create*Backend() and no Backend`);
  return value;
}

export function presentBackends(): FuzzBackend[] {
  return packageNames().map((packageName) => {
    const known = FACTORIES[packageName];
    if (known) return { packageName, ...known };
    return {
      packageName,
      name: packageName.replace(/^@paradox\/(backend-)?/, ''),
      create: () => genericFactory(packageName),
    };
  });
}
