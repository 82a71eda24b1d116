import type { DType, TypedArray } from '@paradox/ir';
import { MalformedProgramError } from './errors.js';
import { asHostBuffer } from './host-buffer.js';
import type { DeviceBuffer } from './types.js';

const VIEW = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** The host array type of `dtype`; float16 storage (widened) is not something host programs plan. */
export function viewType(dtype: DType): (typeof VIEW)[keyof typeof VIEW] {
  if (dtype === 'float16')
    throw new MalformedProgramError('float16 buffers are not supported in host memory');
  return VIEW[dtype];
}

/** A `size`-element array of `dtype` over `buffer` (from offset 0). */
export function hostView(dtype: DType, buffer: ArrayBuffer, size: number): TypedArray {
  return new (viewType(dtype))(buffer, 0, size);
}

/** How long pooled memory may sit unused before it goes back to the system. */
const IDLE_RELEASE_MS = 5000;

/**
 * Memory of freed buffers, kept for reuse by later allocations of the same byte size. A fresh
 * 16 MiB array costs milliseconds of page faults, more than a memory-bound kernel over it; a reused
 * one costs nothing, so a warm run whose previous output was freed allocates nothing. Small arrays
 * are cheaper to allocate than to pool and are left to the garbage collector (or a HostSlab).
 * Bounded (`maxBytes`), and emptied once nothing was taken or given for a few seconds, so an idle
 * process does not sit on memory it no longer uses.
 */
export class HostMemoryPool {
  static readonly MIN_BYTES = 64 * 1024;
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;
  private lastUse = 0;
  private sweep: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param allocateUninitialised fresh memory of `bytes` whose contents need not be zero, for
   *   outputs a program writes in full (`fresh`), or undefined where there is none; zero-filling a
   *   fresh large array first costs about as much as writing it. `uninitialisedArrayBuffer`
   *   (Node's `Buffer.allocUnsafeSlow` memory), for instance.
   */
  constructor(
    private readonly maxBytes = 512 * 1024 * 1024,
    private readonly allocateUninitialised?: (bytes: number) => ArrayBuffer | undefined,
  ) {}

  /**
   * New memory of `bytes` (never pooled memory) that the caller overwrites in full: uninitialised
   * when the pool was given an allocator for that, else zero-filled.
   */
  fresh(bytes: number): ArrayBuffer {
    return this.allocateUninitialised?.(bytes) ?? new ArrayBuffer(bytes);
  }

  /** A pooled buffer of exactly `bytes`, or undefined. Its contents are stale: callers overwrite it. */
  take(bytes: number): ArrayBuffer | undefined {
    if (bytes < HostMemoryPool.MIN_BYTES || this.held === 0) return undefined;
    const buffer = this.free.get(bytes)?.pop();
    if (buffer) {
      this.held -= bytes;
      this.lastUse = Date.now();
    }
    return buffer;
  }

  give(buffer: ArrayBuffer): void {
    const bytes = buffer.byteLength;
    if (bytes < HostMemoryPool.MIN_BYTES || this.held + bytes > this.maxBytes) return;
    const list = this.free.get(bytes);
    if (list) list.push(buffer);
    else this.free.set(bytes, [buffer]);
    this.held += bytes;
    this.lastUse = Date.now();
    this.armSweep();
  }

  /**
   * Pools the memory of a freed array when the array covers all of it (a view into more is left
   * alone). Checks the size first: reading `.buffer` of a small on-heap array makes V8 move it off-heap.
   */
  giveArray(data: TypedArray): void {
    if (data.byteLength < HostMemoryPool.MIN_BYTES || data.byteOffset !== 0) return;
    if (data.byteLength === data.buffer.byteLength) this.give(data.buffer as ArrayBuffer);
  }

  /** Drops every pooled buffer (the collector frees them). */
  clear(): void {
    this.free.clear();
    this.held = 0;
  }

  get heldBytes(): number {
    return this.held;
  }

  /** Clears the pool once IDLE_RELEASE_MS pass without a take or give (one timer at a time). */
  private armSweep(delay = IDLE_RELEASE_MS): void {
    if (this.sweep !== undefined) return;
    this.sweep = setTimeout(() => {
      this.sweep = undefined;
      if (this.held === 0) return;
      const idle = Date.now() - this.lastUse;
      if (idle >= IDLE_RELEASE_MS) this.clear();
      else this.armSweep(IDLE_RELEASE_MS - idle);
    }, delay);
    // Never keeps a process alive (Node's timers have unref; a browser's are numbers).
    (this.sweep as { unref?: () => void }).unref?.();
  }
}

const DTYPE_CODE: Partial<Record<DType, number>> = { float32: 0, int32: 1, bool: 2 };

/**
 * Small arrays carved from shared 64 KiB ArrayBuffers (64-byte aligned), for backends that hand
 * arrays to native code: a small typed array of its own lives on V8's heap, and giving native code
 * its address first moves it off-heap, which costs more than a small kernel. A slab stays alive
 * while any array carved from it does. Freed arrays come back through `give` and are handed out
 * again by `reuse` (same dtype and length; bounded), so a warm loop of small calls allocates nothing.
 */
export class HostSlab {
  static readonly MAX_BYTES = 4096;
  private static readonly SLAB_BYTES = 64 * 1024;
  /** Most bytes of freed arrays kept for reuse. */
  private static readonly MAX_RECYCLED_BYTES = 1024 * 1024;
  private static readonly MAX_PER_SIZE = 32;
  private slab = new ArrayBuffer(HostSlab.SLAB_BYTES);
  private offset = 0;
  /** Freed arrays by `length * 4 + dtype code`. */
  private readonly recycled = new Map<number, TypedArray[]>();
  private recycledBytes = 0;

  /** A zeroed `size`-element array of `dtype` (`bytes` <= MAX_BYTES), never handed out before. */
  take(dtype: DType, size: number, bytes: number): TypedArray {
    if (this.offset + bytes > HostSlab.SLAB_BYTES) {
      this.slab = new ArrayBuffer(HostSlab.SLAB_BYTES);
      this.offset = 0;
    }
    const view = new (viewType(dtype))(this.slab, this.offset, size);
    this.offset += Math.ceil(bytes / 64) * 64 || 64;
    return view;
  }

  /** A freed array of `dtype` and `size` given back earlier, or undefined. Its contents are stale. */
  reuse(dtype: DType, size: number): TypedArray | undefined {
    if (this.recycledBytes === 0) return undefined;
    const array = this.recycled.get(size * 4 + (DTYPE_CODE[dtype] ?? 3))?.pop();
    if (array) this.recycledBytes -= array.byteLength;
    return array;
  }

  /**
   * Keeps a freed small array for `reuse`. Only for an array no live buffer shares: a freed
   * buffer's own storage.
   */
  give(dtype: DType, data: TypedArray): void {
    const bytes = data.byteLength;
    if (bytes > HostSlab.MAX_BYTES || bytes === 0) return;
    if (this.recycledBytes + bytes > HostSlab.MAX_RECYCLED_BYTES) return;
    const key = data.length * 4 + (DTYPE_CODE[dtype] ?? 3);
    const list = this.recycled.get(key);
    if (!list) this.recycled.set(key, [data]);
    else if (list.length < HostSlab.MAX_PER_SIZE) list.push(data);
    else return;
    this.recycledBytes += bytes;
  }
}

/**
 * A host backend's free(): marks the buffer freed (any later use is a BufferMismatchError) and keeps
 * its memory for reuse: a small array in `slab` when given, a large one in `pool`.
 */
/**
 * A host backend's transfer(): hands `buffer`'s own array to the caller when it is large and spans
 * all of its ArrayBuffer (a fresh or pooled output, nothing else in that memory) and marks the
 * buffer freed without pooling the memory, which is the caller's now; otherwise (a small array,
 * carved from a slab, or a view into more) returns `copy` of it and frees the buffer as usual.
 */
export function transferHostBuffer(
  buffer: DeviceBuffer,
  backend: string,
  pool: HostMemoryPool,
  slab: HostSlab | undefined,
  copy: (data: TypedArray) => TypedArray = (data) => data.slice(),
): TypedArray {
  const host = asHostBuffer(buffer, backend);
  const data = host.data;
  // Size first: reading `.buffer` of a small on-heap array makes V8 move it off-heap.
  if (
    data.byteLength >= HostMemoryPool.MIN_BYTES &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength
  ) {
    host.freed = true;
    return data;
  }
  const out = copy(data);
  freeHostBuffer(buffer, backend, pool, slab);
  return out;
}

export function freeHostBuffer(
  buffer: DeviceBuffer,
  backend: string,
  pool: HostMemoryPool,
  slab?: HostSlab,
): void {
  const host = asHostBuffer(buffer, backend);
  host.freed = true;
  if (slab !== undefined && host.data.byteLength <= HostSlab.MAX_BYTES) slab.give(host.dtype, host.data);
  else pool.giveArray(host.data);
}
