import { freeStorage, type TensorStorage } from './storage.js';

/**
 * Frees the storage of tensors that were garbage-collected without dispose(), on backends whose
 * memory the collector cannot see (wasm's arena, GPU buffers).
 *
 * Registering with a FinalizationRegistry (the tensor as its own unregister token) and unregistering
 * again costs 0.25-1 us per tensor in V8 (a weak cell, an identity hash, a hash-table entry),
 * more than a small compiled call on wasm. Most tensors are disposed or read with
 * `{ transfer: true }` in the same synchronous turn that made them, and no finalizer can run before
 * that turn ends anyway (cleanup callbacks are tasks). So a tensor waits in a plain array, by slot
 * index (no hashing), and is registered at the end of the turn (a microtask) only if it is still
 * alive: a jit call whose output is disposed at once never touches the registry.
 */
const registry = new FinalizationRegistry<TensorStorage>((storage) => freeStorage(storage));

/**
 * Most tensors kept waiting: a long synchronous loop that never disposes its tensors registers them
 * in batches instead, so the collector can still take their objects before the turn ends.
 */
const MAX_WAITING = 1024;
const waiting: (object | undefined)[] = [];
const waitingStorage: (TensorStorage | undefined)[] = [];
let flushQueued = false;

function registerSurvivors(): void {
  flushQueued = false;
  for (let i = 0; i < waiting.length; i++) {
    const owner = waiting[i];
    if (owner !== undefined) registry.register(owner, waitingStorage[i]!, owner);
  }
  waiting.length = 0;
  waitingStorage.length = 0;
}

/**
 * Frees `storage` if `owner` is collected before `unwatchStorage(owner, slot)`. Returns the slot
 * to pass to it.
 */
export function watchStorage(owner: object, storage: TensorStorage): number {
  if (waiting.length >= MAX_WAITING) registerSurvivors();
  const slot = waiting.length;
  waiting.push(owner);
  waitingStorage.push(storage);
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(registerSurvivors);
  }
  return slot;
}

/** The owner's storage is freed (or handed on) by other means: no finalizer for it. */
export function unwatchStorage(owner: object, slot: number): void {
  if (waiting[slot] !== owner) {
    // Registered at the end of an earlier turn.
    registry.unregister(owner);
    return;
  }
  waiting[slot] = undefined;
  waitingStorage[slot] = undefined;
  // Made-and-disposed in order keeps the arrays short within one long synchronous loop.
  while (waiting.length > 0 && waiting[waiting.length - 1] === undefined) {
    waiting.pop();
    waitingStorage.pop();
  }
}

/** Tensors made this turn that are still waiting to be registered (tests). */
export function waitingForFinalizer(): number {
  let n = 0;
  for (const owner of waiting) if (owner !== undefined) n++;
  return n;
}
