import type { CompiledGraph } from './compiled-graph.js';
import type { FallbackReason } from './fallback.js';
import type { FastMatch } from './fast-match.js';
import type { CallSignature } from './signature.js';

/** One cached signature: a compiled program, or the decision to run eagerly (and why). */
export type CacheEntry = {
  readonly signature: CallSignature;
  /** The allocation-free check for calls shaped like the one that created the entry, when eligible. */
  readonly fast: FastMatch | undefined;
  /** Program input k is `args[fastPositions[k]]` on the fast path. */
  readonly fastPositions: readonly number[] | undefined;
  /** With donation: the positions in `args` of the donated tensors on the fast path. */
  readonly fastDonated?: readonly number[];
  lastUsed: number;
} & (
  | {
      readonly kind: 'compiled';
      /** With tiers, it adopts the better tier's program once that compiled (and drops the climb when disposed). */
      readonly compiled: CompiledGraph;
    }
  | { readonly kind: 'eager'; readonly reason: FallbackReason }
);

function release(entry: CacheEntry): void {
  if (entry.kind === 'compiled') entry.compiled.dispose();
}

/**
 * The per-function cache, bounded: when full, the least recently used entry is evicted (its program
 * disposed). Recency is a counter stamped on hits, so a hit costs one increment and no reordering.
 */
export class JitCache {
  private readonly entries = new Map<string, CacheEntry>();
  private clock = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) this.touch(entry);
    return entry;
  }

  touch(entry: CacheEntry): void {
    entry.lastUsed = ++this.clock;
  }

  /** Inserts `entry`; returns the entry evicted to make room, if any. */
  set(entry: CacheEntry): CacheEntry | undefined {
    this.touch(entry);
    this.entries.set(entry.signature.key, entry);
    if (this.entries.size <= this.capacity) return undefined;
    let oldest: CacheEntry | undefined;
    for (const e of this.entries.values()) if (!oldest || e.lastUsed < oldest.lastUsed) oldest = e;
    this.entries.delete(oldest!.signature.key);
    release(oldest!);
    return oldest;
  }

  signatures(): CallSignature[] {
    return [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed).map((e) => e.signature);
  }

  clear(): void {
    for (const e of this.entries.values()) release(e);
    this.entries.clear();
  }
}
