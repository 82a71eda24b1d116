import {
  allocateHostBuffer,
  type Backend,
  getBackend,
  listBackends,
  registerBackend,
  unregisterBackend,
} from '@paradox/backend';
import { afterEach, describe, expect, it } from 'vitest';

const fake = (name: string): Backend => ({
  name,
  capabilities: { dtypes: ['float32'], ops: new Set(['add']), maxBuffersPerKernel: 3, sync: true },
  compile: () => {
    throw new Error('not used');
  },
  allocate: (dtype, size) => allocateHostBuffer(name, dtype, size),
  upload: () => {},
  download: () => new Float32Array(),
  free: () => {},
});

// A second instance of the registry module, as a second copy of @paradox/backend in node_modules
// (version drift) or a package bundled twice would load it.
type RegistryModule = typeof import('../src/registry.js');
const secondCopy = (): Promise<RegistryModule> =>
  import(/* @vite-ignore */ `../src/registry.ts?copy=${Date.now()}`);

describe('backend registry shared across copies of @paradox/backend', () => {
  afterEach(() => {
    unregisterBackend('from-second-copy');
    unregisterBackend('from-first-copy');
  });

  it('a backend registered through a second copy is found by the first', async () => {
    const copy = await secondCopy();
    expect(copy.registerBackend).not.toBe(registerBackend);
    const backend = fake('from-second-copy');
    copy.registerBackend(backend, { priority: 1e9 });
    expect(getBackend('from-second-copy')).toBe(backend);
    expect(listBackends()[0]).toBe('from-second-copy');
  });

  it('a backend registered through the first copy is found by a second', async () => {
    const backend = fake('from-first-copy');
    registerBackend(backend);
    const copy = await secondCopy();
    expect(copy.getBackend('from-first-copy')).toBe(backend);
  });
});
