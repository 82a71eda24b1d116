import { compileFunction } from './errors.js';
import type { Runtime } from './runtime.js';

/** A compiled kernel: one typed array per buffer parameter. */
export type KernelFn = (...buffers: unknown[]) => void;

/**
 * Compiled kernels keyed by their generated source. The source is a structural form of the kernel
 * (buffer ids renamed by first use, shapes baked in), so the same kernel structure in any program
 * compiles once. Bounded: the oldest entry goes first.
 */
export class KernelCache {
  private readonly entries = new Map<string, KernelFn>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly capacity = 2048,
  ) {}

  get(source: string): KernelFn {
    const cached = this.entries.get(source);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    // The source is built only from compiler-made identifiers and checked numeric literals (literals.ts).
    const fn = compileFunction(['rt'], source)(this.runtime) as KernelFn;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(source, fn);
    return fn;
  }

  get size(): number {
    return this.entries.size;
  }
}
