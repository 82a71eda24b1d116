/**
 * Size class of a request: at least 256 bytes, then four classes per power of two
 * (1, 1.25, 1.5, 1.75 x 2^k), so a pooled buffer wastes at most 25% and always holds a multiple
 * of 4 bytes (required for storage bindings and copies).
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/**
 * Free lists of GPU buffers keyed by (usage, size class). A warm program run takes every buffer
 * from here, so steady-state calls create no GPU buffers. Buffers come back dirty: consumers
 * must write before reading.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private freeBytes = 0;
  /** Buffers created so far (tests use it to prove warm calls allocate nothing). */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Free bytes kept for reuse; beyond this, released buffers are destroyed. */
    private readonly maxFreeBytes = 1 << 30,
  ) {}

  acquire(bytes: number, usage: number, label?: string): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(key(usage, size));
    const reused = list?.pop();
    if (reused) {
      this.freeBytes -= size;
      return reused;
    }
    this.created++;
    return this.device.createBuffer({ size, usage, ...(label ? { label } : {}) });
  }

  release(buffer: GPUBuffer): void {
    if (this.freeBytes + buffer.size > this.maxFreeBytes) {
      buffer.destroy();
      return;
    }
    const k = key(buffer.usage, buffer.size);
    const list = this.free.get(k);
    if (list) list.push(buffer);
    else this.free.set(k, [buffer]);
    this.freeBytes += buffer.size;
  }

  /** Destroys every free buffer (buffers in use are untouched). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeBytes = 0;
  }

  get retainedBytes(): number {
    return this.freeBytes;
  }
}

const key = (usage: number, size: number): string => `${usage}:${size}`;
