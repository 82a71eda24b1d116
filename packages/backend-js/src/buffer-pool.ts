/**
 * Memory of freed buffers, kept for reuse by later allocations of the same byte size. A fresh
 * 16 MiB array costs tens of milliseconds of page faults; a reused one costs nothing, so a warm jit
 * call whose previous output was disposed allocates nothing at all. Small arrays are cheaper to
 * allocate than to pool and are left to the garbage collector.
 */
export class BufferPool {
  static readonly MIN_BYTES = 64 * 1024;
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;

  constructor(private readonly maxBytes = 512 * 1024 * 1024) {}

  /** A pooled buffer of exactly `bytes`, or undefined. Its contents are stale: callers overwrite it. */
  take(bytes: number): ArrayBuffer | undefined {
    if (bytes < BufferPool.MIN_BYTES) return undefined;
    const buffer = this.free.get(bytes)?.pop();
    if (buffer) this.held -= bytes;
    return buffer;
  }

  give(buffer: ArrayBuffer): void {
    const bytes = buffer.byteLength;
    if (bytes < BufferPool.MIN_BYTES || this.held + bytes > this.maxBytes) return;
    const list = this.free.get(bytes);
    if (list) list.push(buffer);
    else this.free.set(bytes, [buffer]);
    this.held += bytes;
  }

  get heldBytes(): number {
    return this.held;
  }
}
