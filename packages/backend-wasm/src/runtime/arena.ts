import { BackendError } from '@paradox/backend';

const PAGE = 65536;
/** Regions start 16-byte aligned so v128 loads and stores are aligned. */
export const ALIGN = 16;
/** Bytes below this address are never handed out (a stray zero address reads nothing anyone owns). */
const RESERVED = 1024;

/** The backend's memory would grow past its configured limit. Names the request and the limit. */
export class WasmMemoryLimitError extends BackendError {
  override name = 'WasmMemoryLimitError';
  constructor(
    readonly requestedBytes: number,
    readonly usedBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `wasm: a program needs ${requestedBytes} more bytes of linear memory but ${usedBytes} of its ` +
        `${limitBytes}-byte limit are in use (raise maxMemoryBytes or dispose unused executables)`,
    );
  }
}

/** Memory figures of one backend instance. */
export interface MemoryStats {
  /** Current size of the WebAssembly.Memory. */
  bytes: number;
  /** Bytes held by live executables (constants, staged inputs and outputs, temporaries). */
  used: number;
  peakUsed: number;
  /** memory.grow calls so far. */
  grows: number;
  limit: number;
}

/** Freed regions up to this size are kept per size for the next allocation of that size. */
const RECYCLE_MAX_BYTES = 16384;
const RECYCLE_PER_SIZE = 8;

/** Typed arrays over the whole memory, one per element type. */
export interface MemoryViews {
  f32: Float32Array;
  i32: Int32Array;
  u8: Uint8Array;
}

/**
 * One WebAssembly.Memory per backend instance, handed out to executables as regions (first fit over
 * a free list that merges neighbours). The memory grows on demand, page-wise, never past `limit`.
 * Small regions freed are kept per size and handed out again first (a run's outputs, freed by the
 * caller, are the next run's: no list search, no merging); they go back to the free list before the
 * memory would grow.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly maxPages: number;
  private readonly free: { at: number; bytes: number }[] = [];
  private readonly live = new Map<number, number>();
  private readonly recycled = new Map<number, number[]>();
  private views?: MemoryViews;
  private top = RESERVED;
  private used = 0;
  private peak = 0;
  private grows = 0;

  constructor(
    readonly limit: number,
    readonly shared: boolean,
  ) {
    this.maxPages = Math.max(1, Math.floor(limit / PAGE));
    this.memory = new WebAssembly.Memory({
      initial: 1,
      maximum: this.maxPages,
      shared,
    } as WebAssembly.MemoryDescriptor);
  }

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const kept = this.recycled.get(size)?.pop();
    if (kept !== undefined) return this.take(kept, size);
    let at = -1;
    let fit = this.free.findIndex((r) => r.bytes >= size);
    if (fit < 0 && this.top + size > this.memory.buffer.byteLength && this.recycled.size > 0) {
      this.flushRecycled();
      fit = this.free.findIndex((r) => r.bytes >= size);
    }
    if (fit >= 0) {
      const r = this.free[fit]!;
      at = r.at;
      if (r.bytes === size) this.free.splice(fit, 1);
      else {
        r.at += size;
        r.bytes -= size;
      }
    } else {
      if (this.top + size > this.maxPages * PAGE)
        throw new WasmMemoryLimitError(size, this.used, this.maxPages * PAGE);
      at = this.top;
      this.top += size;
      const have = this.memory.buffer.byteLength;
      if (this.top > have) {
        this.memory.grow(Math.ceil((this.top - have) / PAGE));
        this.grows++;
        this.views = undefined;
      }
    }
    return this.take(at, size);
  }

  private take(at: number, size: number): number {
    this.live.set(at, size);
    this.used += size;
    if (this.used > this.peak) this.peak = this.used;
    return at;
  }

  release(at: number): void {
    const size = this.live.get(at);
    if (size === undefined) return;
    this.live.delete(at);
    this.used -= size;
    if (size <= RECYCLE_MAX_BYTES) {
      const list = this.recycled.get(size) ?? [];
      this.recycled.set(size, list);
      if (list.length < RECYCLE_PER_SIZE) {
        list.push(at);
        return;
      }
    }
    this.toFreeList(at, size);
  }

  private flushRecycled(): void {
    for (const [size, list] of this.recycled) for (const at of list) this.toFreeList(at, size);
    this.recycled.clear();
  }

  private toFreeList(at: number, size: number): void {
    let i = this.free.findIndex((r) => r.at > at);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { at, bytes: size });
    // Merge with the following and the preceding free region.
    const next = this.free[i + 1];
    if (next && at + size === next.at) {
      this.free[i]!.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.at + prev.bytes === at) {
      prev.bytes += this.free[i]!.bytes;
      this.free.splice(i, 1);
    }
  }

  /**
   * Typed arrays over the whole memory, made again after growth (which replaces the ArrayBuffer).
   * Only alloc() grows the memory (modules never run memory.grow), so a warm call skips the
   * `memory.buffer` getter.
   */
  memoryViews(): MemoryViews {
    if (this.views) return this.views;
    const buffer = this.memory.buffer;
    this.views = { f32: new Float32Array(buffer), i32: new Int32Array(buffer), u8: new Uint8Array(buffer) };
    return this.views;
  }

  stats(): MemoryStats {
    return {
      bytes: this.memory.buffer.byteLength,
      used: this.used,
      peakUsed: this.peak,
      grows: this.grows,
      limit: this.maxPages * PAGE,
    };
  }
}
