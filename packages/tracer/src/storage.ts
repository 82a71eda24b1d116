import type { Backend, DeviceBuffer } from '@paradox/backend';
import type { TypedArray } from '@paradox/ir';
import { EagerExecutionError } from './errors.js';

/**
 * Where an eager tensor's elements live: a host typed array (the interpreter seam) or a buffer of a
 * backend. A device buffer may still be pending while an async backend compiles or runs.
 */
export type TensorStorage =
  | { readonly kind: 'host'; readonly data: TypedArray }
  | {
      readonly kind: 'device';
      readonly backend: Backend;
      readonly buffer: DeviceBuffer | Promise<DeviceBuffer>;
    };

export const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as { then?: unknown } | null)?.then === 'function';

/** Reads the elements; a copy, so callers can never mutate a tensor in place. */
export async function readStorage(storage: TensorStorage): Promise<TypedArray> {
  if (storage.kind === 'host') return storage.data.slice();
  // download() already hands back a fresh array the caller owns (Backend contract): no second copy.
  return storage.backend.download(await storage.buffer);
}

/**
 * Reads the elements and frees device storage in one step: the backend's transfer() when it has one
 * (which may hand over the buffer's own memory), else download() then free(). The caller drops
 * every reference to `storage`.
 */
export async function transferStorage(storage: TensorStorage): Promise<TypedArray> {
  if (storage.kind === 'host') return storage.data.slice();
  const { backend } = storage;
  const buffer = await storage.buffer;
  if (backend.transfer) return backend.transfer(buffer);
  try {
    return await backend.download(buffer);
  } finally {
    backend.free(buffer);
  }
}

/**
 * Reads the elements synchronously, or throws naming the async backend and the async alternative.
 * `transfer`: through the backend's transfer(), which frees the buffer (only for a device storage
 * whose backend has one; the caller then drops the storage).
 */
export function readStorageSync(storage: TensorStorage, operation: string, transfer = false): TypedArray {
  if (storage.kind === 'host') return storage.data.slice();
  const { backend, buffer } = storage;
  if (!backend.capabilities.sync) {
    throw new EagerExecutionError(
      `${operation} needs a synchronous backend, but this tensor lives on '${backend.name}', which is asynchronous; ` +
        'use `await t.data()` instead',
    );
  }
  if (isPromise(buffer)) {
    // A sync backend with a pending buffer: the value depends on data still on its way (e.g. an input
    // that lived on an asynchronous backend), not on the backend being asynchronous.
    throw new EagerExecutionError(
      `${operation}: this tensor on '${backend.name}' is not computed yet (it waits for data from an asynchronous ` +
        'source, such as an input that lived on another backend); use `await t.data()` instead',
    );
  }
  const data = transfer && backend.transfer ? backend.transfer(buffer) : backend.download(buffer);
  if (isPromise(data)) {
    throw new EagerExecutionError(
      `${operation}: backend '${backend.name}' declares sync but download() returned a promise; use \`await t.data()\``,
    );
  }
  return data;
}

/**
 * The elements for a copy made at once (an upload to another backend), never kept or changed: the
 * host array itself, a host backend's own array (`readInPlace`), else readStorageSync's copy.
 */
export function readStorageForCopy(storage: TensorStorage, operation: string): TypedArray {
  if (storage.kind === 'host') return storage.data;
  const { backend, buffer } = storage;
  if (backend.readInPlace && backend.capabilities.sync && !isPromise(buffer))
    return backend.readInPlace(buffer);
  return readStorageSync(storage, operation);
}

/** Releases the storage's device memory (host arrays are left to the garbage collector). */
export function freeStorage(storage: TensorStorage): void {
  if (storage.kind === 'host') return;
  const { backend, buffer } = storage;
  if (isPromise(buffer)) {
    buffer.then(
      (b) => backend.free(b),
      () => {},
    );
  } else backend.free(buffer);
}
