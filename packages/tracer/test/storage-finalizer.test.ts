import { type Backend, registerBackend, unregisterBackend } from '@paradox/backend';
import { jsBackend } from '@paradox/backend-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../src/index.js';
import { waitingForFinalizer } from '../src/storage-finalizer.js';
import { collectGarbage } from './collect-garbage.js';
import './inject-lowering.js';

/**
 * Tensors on a backend with explicitly freed memory get a finalizer at the end of the turn that
 * made them, and only if they are still alive then: these tests check that a collected tensor's
 * buffer is freed exactly once whichever way it ends.
 */
/** backend-js whose buffers need free() (so tensors get finalizers), counting frees per buffer. */
const frees = new Map<object, number>();
const explicitFree: Backend = {
  ...jsBackend,
  name: 'explicit-free',
  capabilities: { ...jsBackend.capabilities, gcManagedBuffers: false },
  free: (buffer) => {
    frees.set(buffer, (frees.get(buffer) ?? 0) + 1);
    jsBackend.free(buffer);
  },
};
const freeCount = () => [...frees.values()].reduce((a, b) => a + b, 0);
const doubleFrees = () => [...frees.values()].filter((n) => n > 1).length;

// Out of the tests' frames, so no local variable keeps the tensors reachable.
const leak = (n: number): void => {
  for (let i = 0; i < n; i++) tensor([i, i + 1]);
};
const madeAndDisposed = (n: number): void => {
  for (let i = 0; i < n; i++) tensor([i]).dispose();
};

describe('storage finalizer', () => {
  beforeAll(() => registerBackend(explicitFree, { priority: 10_000, replace: true }));
  afterAll(() => unregisterBackend(explicitFree.name));

  it('a tensor disposed in the turn that made it never waits for the registry', async () => {
    madeAndDisposed(10_000);
    expect(waitingForFinalizer()).toBe(0);
    // Disposed out of order: the slots of disposed tensors are cleared, the survivor waits.
    const a = tensor([1]);
    const b = tensor([2]);
    const c = tensor([3]);
    b.dispose();
    a.dispose();
    expect(waitingForFinalizer()).toBe(1);
    c.dispose();
    expect(waitingForFinalizer()).toBe(0);
    await Promise.resolve();
    expect(doubleFrees()).toBe(0);
  });

  it('frees a tensor collected without dispose()', async () => {
    const before = freeCount();
    leak(50);
    expect(waitingForFinalizer()).toBe(50);
    await collectGarbage();
    expect(waitingForFinalizer()).toBe(0);
    expect(freeCount() - before).toBe(50);
    expect(doubleFrees()).toBe(0);
  });

  it('a long turn that disposes nothing registers its tensors in batches, each freed once', async () => {
    const before = freeCount();
    leak(3000);
    // At most a batch waits; the rest are registered already, so nothing holds them.
    expect(waitingForFinalizer()).toBeLessThanOrEqual(1024);
    await collectGarbage();
    expect(waitingForFinalizer()).toBe(0);
    expect(freeCount() - before).toBe(3000);
    expect(doubleFrees()).toBe(0);
  });

  it('a tensor registered in an earlier turn and disposed later is freed once', async () => {
    const kept: Tensor[] = [tensor([1, 2]), tensor([3, 4])];
    await Promise.resolve(); // the end of the turn registers both
    expect(waitingForFinalizer()).toBe(0);
    // A new tensor may take the slot an earlier one had: disposing the old one must not clear it.
    const fresh = tensor([5]);
    const before = freeCount();
    kept[0]!.dispose();
    expect(waitingForFinalizer()).toBe(1);
    kept.length = 0;
    fresh.dispose();
    await collectGarbage();
    // kept[0] by dispose(), kept[1] by its finalizer, fresh by dispose(): once each.
    expect(freeCount() - before).toBe(3);
    expect(doubleFrees()).toBe(0);
  });
});
