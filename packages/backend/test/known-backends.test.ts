import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, UnknownBackendError } from '@paradox/backend';
import { describe, expect, it } from 'vitest';
import { backendHint, KNOWN_BACKENDS } from '../src/known-backends.js';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const workspacePackageNames = new Set(
  readdirSync(packagesDir)
    .map((d) => join(packagesDir, d, 'package.json'))
    .filter(existsSync)
    .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { name: string }).name),
);

const messageOf = (name: string): string => {
  try {
    getBackend(name);
  } catch (error) {
    expect(error).toBeInstanceOf(UnknownBackendError);
    return (error as Error).message;
  }
  throw new Error(`backend '${name}' is registered in this test`);
};

describe('hints for a backend that is not registered', () => {
  it('every package a hint names is one of ours', () => {
    for (const { package: pkg } of Object.values(KNOWN_BACKENDS))
      expect(workspacePackageNames).toContain(pkg);
  });

  it("'webgpu' points at the backend named 'wgsl' and its package", () => {
    const message = messageOf('webgpu');
    expect(message).toContain("named 'wgsl'");
    expect(message).toContain("import '@paradox/backend-wgsl'");
    expect(message).not.toContain('@paradox/backend-webgpu');
  });

  it('a known name names its package', () => {
    expect(messageOf('wasm')).toContain("import '@paradox/backend-wasm'");
  });

  it('an unknown name lists the backends that exist instead of inventing a package', () => {
    const message = messageOf('tpu');
    expect(message).not.toContain('@paradox/backend-tpu');
    for (const { package: pkg } of Object.values(KNOWN_BACKENDS)) expect(message).toContain(pkg);
  });

  it('every @paradox/... a hint names exists', () => {
    for (const name of ['js', 'webgpu', 'gpu', 'cpu', 'native', 'tpu', 'WebGPU']) {
      for (const pkg of backendHint(name).match(/@paradox\/[a-z0-9-]+/g) ?? [])
        expect(workspacePackageNames).toContain(pkg);
    }
  });
});
