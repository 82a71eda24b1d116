import { type Backend, type Executable, registerBackend, unregisterBackend } from '@paradox/backend';
import { jsBackend } from '@paradox/backend-js';
import { afterAll, describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../src/index.js';
import { collectGarbage } from './collect-garbage.js';
import './inject-lowering.js';

/**
 * Tensors of a backend with explicitly freed memory carry a finalizer that frees their buffer when
 * they are collected. An intermediate of an eager chain on an async backend is unreachable as soon
 * as the next op is issued, long before that op reads it: these tests collect garbage while ops
 * are pending and check the result is still computed from live buffers.
 */
/**
 * backend-js behind an asynchronous facade modelled on a GPU backend: memory needs free() (so
 * tensors get finalizers), runs wait for `open()`, and download takes a turn before it reads (as
 * wgsl awaits its device first). Counts frees so tests can see the finalizers ran.
 */
function gatedBackend() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { frees: 0, open };
  const backend: Backend = {
    name: 'gated-async',
    capabilities: { ...jsBackend.capabilities, sync: false, gcManagedBuffers: false },
    async compile(program) {
      const exe = (await jsBackend.compile(program)) as Executable;
      return {
        program,
        sources: exe.sources,
        run: async (inputs) => {
          await gate;
          return exe.run(inputs);
        },
        dispose: () => exe.dispose(),
      };
    },
    allocate: (dtype, size) => jsBackend.allocate(dtype, size),
    upload: (buffer, data) => jsBackend.upload(buffer, data),
    download: async (buffer) => {
      await Promise.resolve();
      return jsBackend.download(buffer);
    },
    free: (buffer) => {
      state.frees++;
      jsBackend.free(buffer);
    },
  };
  return { backend, state };
}

// Kept out of the tests' frames so no intermediate stays reachable from a local variable.
const chain = (x: Tensor): Tensor => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5);
const expectedChain = (v: number): number => Math.max(2 * v + 1, 0) / (1 + Math.exp(-v)) - 0.5;
const readTemporary = (x: Tensor): Promise<Float32Array> => x.mul(3).data() as Promise<Float32Array>;

describe('garbage-collected tensors with pending readers', () => {
  const registered: string[] = [];
  afterAll(() => {
    for (const name of registered) unregisterBackend(name);
  });

  it('an op keeps its collected input alive until it has run', async () => {
    const { backend, state } = gatedBackend();
    registerBackend(backend, { priority: 10_000, replace: true });
    registered.push(backend.name);
    const values = [1, -2, 3, 0.25];
    const x = tensor(values);
    const y = chain(x);
    await collectGarbage();
    state.open();
    const got = await y.data();
    for (const [i, v] of values.entries()) expect(got[i]).toBeCloseTo(expectedChain(v), 5);
    // The finalizers did run once nothing was pending: the test exercised the collection path.
    await collectGarbage();
    expect(state.frees).toBeGreaterThan(0);
  });

  it('data() keeps a collected temporary alive until it has been read', async () => {
    const { backend, state } = gatedBackend();
    registerBackend(backend, { priority: 10_000, replace: true });
    const x = tensor([1, 2, 3]);
    const read = readTemporary(x);
    await collectGarbage();
    state.open();
    expect([...(await read)]).toEqual([3, 6, 9]);
  });
});
