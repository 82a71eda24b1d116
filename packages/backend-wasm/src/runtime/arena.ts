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

/**
 * One WebAssembly.Memory per backend instance, handed out to executables as regions (first fit over
 * a free list that merges neighbours). The memory grows on demand, page-wise, never past `limit`.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly maxPages: number;
  private readonly free: { at: number; bytes: number }[] = [];
  private readonly live = new Map<number, number>();
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
    let at = -1;
    const fit = this.free.findIndex((r) => r.bytes >= size);
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
      }
    }
    this.live.set(at, size);
    this.used += size;
    this.peak = Math.max(this.peak, this.used);
    return at;
  }

  release(at: number): void {
    const size = this.live.get(at);
    if (size === undefined) return;
    this.live.delete(at);
    this.used -= size;
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
