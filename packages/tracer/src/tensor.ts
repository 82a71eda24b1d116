import type { TensorType, TypedArray } from '@paradox/ir';
import {
  TensorArgumentError,
  TensorDisposedError,
  TensorDonatedError,
  TensorTransferredError,
} from './errors.js';
import type { OpExecutor } from './executor.js';
import { formatTensor } from './format.js';
import { type NestedArray, toNested } from './host-data.js';
import { keepAliveUntil } from './keep-alive.js';
import { readTarget } from './read-into.js';
import {
  freeStorage,
  readStorage,
  readStorageForCopy,
  readStorageSync,
  type TensorStorage,
  transferStorage,
} from './storage.js';
import { unwatchStorage, watchStorage } from './storage-finalizer.js';
import { TensorOps } from './tensor-ops.js';
import type { TensorValues } from './tensor-values.js';

// Tensors implement `[Symbol.dispose]`. Declared as TypeScript's esnext.disposable lib and @types/node
// declare it (the declarations merge), so a consumer whose `lib` is older (["es2022", "dom"], no
// @types/node) still type-checks this file's .d.ts.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Only memory the collector cannot see needs a finalizer; registering costs every GC (V8 scavenges). */
const needsFinalizer = (storage: TensorStorage): boolean =>
  storage.kind === 'device' && !storage.backend.capabilities.gcManagedBuffers;

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Options of `data()` and `dataSync()`. */
export interface DataOptions {
  /**
   * Read and dispose in one step: the tensor is disposed by the read (any later use throws
   * TensorTransferredError), and where the backend allows (c: outputs of 64 KiB or more) the array
   * returned is the tensor's own memory, handed over without a copy. The array is the caller's.
   */
  transfer?: boolean;
  /**
   * Write the elements into this array and return it: the dtype's array class (Float32Array for
   * float32 and float16, Int32Array, Uint8Array for bool) with exactly as many elements, else
   * TensorArgumentError. A loop that reads each result into the same array allocates nothing per
   * read (a fresh 4 MiB array costs hundreds of microseconds of page faults, see the README). With
   * `transfer: true` the tensor is disposed by the read, so its memory goes back to the backend.
   */
  into?: TensorValues;
}

/**
 * An eager tensor: a shape, a dtype and storage on a backend (or on the host, on the interpreter
 * seam). It owns its storage until dispose() or the end of a `using` block; on backends whose memory
 * the collector cannot see, a FinalizationRegistry frees what users forget (pending reads keep the
 * tensor alive: see keepAliveUntil). All op methods come from TensorOps.
 */
export class Tensor extends TensorOps {
  #storage: TensorStorage | null;
  #disposed = false;
  /** Where the storage went when it was donated (see donate()). */
  #donatedTo: string | undefined;
  /** Disposed by a read with `{ transfer: true }`. */
  #transferred = false;
  /** Settles when no queued work reads the storage any more (see holdStorageUntil). */
  #readers: Promise<void> | undefined;
  /** This tensor's slot with the storage finalizer (see storage-finalizer.ts); -1 without one. */
  #finalizerSlot = -1;

  /** Created by executors and creation functions; users call tensor(), zeros(), ... */
  constructor(type: TensorType, storage: TensorStorage | null) {
    super(type);
    this.#storage = storage;
    if (storage && needsFinalizer(storage)) this.#finalizerSlot = watchStorage(this, storage);
  }

  /** The trace recording this tensor's ops, for tracers; undefined for eager tensors. */
  get traceContext(): OpExecutor | undefined {
    return undefined;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Whether this tensor's memory was handed to a compiled call (buffer donation). */
  get isDonated(): boolean {
    return this.#donatedTo !== undefined;
  }

  /** The storage, or TensorDisposedError / TensorDonatedError naming `operation`. */
  storage(operation: string): TensorStorage {
    if (this.#donatedTo !== undefined) throw new TensorDonatedError(this.type, operation, this.#donatedTo);
    if (this.#disposed || !this.#storage) {
      if (this.#transferred) throw new TensorTransferredError(this.type, operation);
      throw new TensorDisposedError(this.type, operation);
    }
    return this.#storage;
  }

  /**
   * Buffer donation (jit's `donate` option): hands the storage to `to` and makes this tensor invalid
   * (any later use throws TensorDonatedError; dispose() does nothing). The caller frees the storage or
   * passes it on. Undefined when the tensor was already donated or disposed.
   */
  donate(to: string): TensorStorage | undefined {
    if (this.#disposed || this.#donatedTo !== undefined || !this.#storage) return undefined;
    const storage = this.#storage;
    this.#dropFinalizer();
    this.#donatedTo = to;
    this.#disposed = true;
    this.#storage = null;
    return storage;
  }

  /** A synchronous copy of the elements (for executors and constant capture). */
  readSync(operation: string): TypedArray {
    return readStorageSync(this.storage(operation), operation);
  }

  /**
   * The elements for a copy the caller makes at once (an upload to another backend): a host
   * backend's own array where it offers one, else a copy. The caller must not keep or change it.
   */
  readSyncForCopy(operation: string): TypedArray {
    return readStorageForCopy(this.storage(operation), operation);
  }

  /**
   * A copy of the elements, row-major. Works on every backend. `{ transfer: true }` disposes the
   * tensor and may hand over its memory instead of a copy (see DataOptions).
   */
  async data(options?: DataOptions): Promise<TensorValues> {
    if (options?.into !== undefined) {
      const operation = 'data({ into })';
      const target = readTarget(this.type, options.into, operation);
      const read = readStorage(this.storage(operation));
      if (options.transfer === true) this.#endAfter(read);
      else keepAliveUntil(this, read);
      target.set(await read);
      return target as TensorValues;
    }
    if (options?.transfer === true) {
      const storage = this.storage('data({ transfer: true })');
      const readers = this.#readers;
      this.#endByTransfer();
      // Queued work that reads the buffer (a jit call waiting for its compile) runs first.
      return (await (readers
        ? readers.then(() => transferStorage(storage))
        : transferStorage(storage))) as TensorValues;
    }
    const read = readStorage(this.storage('data()'));
    keepAliveUntil(this, read);
    return read as Promise<TensorValues>;
  }

  /**
   * A copy of the elements, row-major. Throws EagerExecutionError on an asynchronous backend.
   * `{ transfer: true }` disposes the tensor and may hand over its memory instead of a copy (see
   * DataOptions): `const out = f(x).dataSync({ transfer: true })`.
   */
  dataSync(options?: DataOptions): TensorValues {
    if (options?.into !== undefined) {
      const operation = 'dataSync({ into })';
      const target = readTarget(this.type, options.into, operation);
      // A host backend's own array where it has one: one copy, straight into the target.
      target.set(readStorageForCopy(this.storage(operation), operation));
      if (options.transfer === true) this.#endAfter(undefined);
      return target as TensorValues;
    }
    if (options?.transfer !== true) return this.readSync('dataSync()') as TensorValues;
    const operation = 'dataSync({ transfer: true })';
    const storage = this.storage(operation);
    // With queued readers of the buffer, a copy, and the buffer freed once they are done (dispose()).
    if (this.#readers !== undefined || storage.kind === 'host' || !storage.backend.transfer) {
      const copy = readStorageSync(storage, operation);
      this.#endAfter(undefined);
      return copy as TensorValues;
    }
    const data = readStorageSync(storage, operation, true);
    this.#endByTransfer();
    return data as TensorValues;
  }

  /** Ends the tensor by a read that copied it (`into`), freeing the storage once `read` settles. */
  #endAfter(read: Promise<unknown> | undefined): void {
    if (read) this.holdStorageUntil(read);
    this.dispose();
    this.#transferred = true;
  }

  /** The storage is freed or handed on by other means than the collector. */
  #dropFinalizer(): void {
    if (this.#finalizerSlot < 0) return;
    unwatchStorage(this, this.#finalizerSlot);
    this.#finalizerSlot = -1;
  }

  /** Ends the tensor after its storage went to a transfer, which frees it (not dispose()). */
  #endByTransfer(): void {
    this.#dropFinalizer();
    this.#disposed = true;
    this.#transferred = true;
    this.#storage = null;
  }

  /** Nested JS arrays (booleans for bool tensors; a number for rank 0). Synchronous backends only. */
  toArray(): NestedArray {
    return toNested(this.readSync('toArray()'), this.shape, this.dtype);
  }

  /** Frees the storage now. Idempotent; any later use throws TensorDisposedError. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#storage) {
      this.#dropFinalizer();
      const storage = this.#storage;
      if (this.#readers) this.#readers.then(() => freeStorage(storage));
      else freeStorage(storage);
      this.#storage = null;
    }
  }

  /**
   * Work queued to read this tensor's buffer later (a jit call waiting for its compile): dispose()
   * still ends the tensor at once for its user, but the memory is freed when `work` settles, so the
   * queued run never meets a freed buffer. Also keeps the tensor from the collector until then.
   */
  holdStorageUntil(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#readers = this.#readers ? Promise.all([this.#readers, settled]).then(() => {}) : settled;
    keepAliveUntil(this, work);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** numpy-like text, summarized for big tensors. */
  override toString(): string {
    if (this.#donatedTo !== undefined)
      return `tensor(<donated to ${this.#donatedTo}>, shape=[${this.shape.join(',')}], dtype=${this.dtype})`;
    if (this.#disposed)
      return `tensor(<${this.#transferred ? 'transferred' : 'disposed'}>, shape=[${this.shape.join(',')}], dtype=${this.dtype})`;
    const storage = this.storage('toString()');
    if (storage.kind === 'device' && !storage.backend.capabilities.sync) {
      return `tensor(<on async backend '${storage.backend.name}': await t.data()>, shape=[${this.shape.join(',')}], dtype=${this.dtype})`;
    }
    return formatTensor(this.readSync('toString()'), this.shape, this.dtype);
  }

  /** A one-element tensor converts to its number (so `t.sum() > 0` works eagerly); strings use toString(). */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === 'string') return this.toString();
    if (this.size !== 1) {
      throw new TensorArgumentError(
        'conversion to a number',
        `only a one-element tensor converts to a JS number; this one has shape [${this.shape.join(',')}]`,
      );
    }
    return this.readSync('conversion to a number')[0]!;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
