import { defaultTiers } from '@paradox/backend';
import { type CallTreeOf, CompiledGraph } from './compiled-graph.js';
import { JitError } from './errors.js';
import type { CompileOptions, TieredCompileOptions } from './options.js';
import type { TracedCall } from './trace-call.js';

/** What inspect() says about a signature's tiers. */
export interface TierReport {
  /** The tiers, best first. */
  tiers: readonly string[];
  /** The tier whose program serves calls now. */
  serving: string;
  /** The tier that ran the last call of this signature (undefined before the first run). */
  lastRan: string | undefined;
  /** Milliseconds each finished tier took to compile (passes, lowering, code generation, compiler). */
  compileMs: Record<string, number>;
  /** Why each failed tier failed. */
  failed: Record<string, string>;
  /** Whether a better tier is still compiling. */
  pending: boolean;
}

/**
 * The backend option as a list of tiers (best first), or undefined for a single backend; without the
 * option, the registry's default tiers (a slow-compile backend above the quick default, then it).
 * `where` names the caller in errors (`jit(f)`).
 */
export function tierList(
  backend: TieredCompileOptions['backend'],
  where: string,
): readonly string[] | undefined {
  if (backend === undefined) {
    const tiers = defaultTiers();
    return tiers.length > 1 ? tiers : undefined;
  }
  if (typeof backend === 'string') return undefined;
  const list = [...backend];
  const bad = list.findIndex((b) => typeof b !== 'string' || b === '');
  if (!Array.isArray(backend) || list.length === 0 || bad >= 0)
    throw new JitError(
      `${where}: option 'backend' must be a backend name or a non-empty list of names, best first` +
        (bad >= 0 ? ` (entry ${bad} is ${JSON.stringify(list[bad]) ?? typeof list[bad]})` : ''),
    );
  const twice = list.find((b, i) => list.indexOf(b) !== i);
  if (twice !== undefined) throw new JitError(`${where}: option 'backend' names '${twice}' twice`);
  return list.length > 1 ? list : undefined;
}

/** One signature's climb from the quickest tier to the best: what serves, what failed, when it is done. */
export class TierState {
  serving: string;
  lastRan: string | undefined;
  readonly compileMs: Record<string, number> = {};
  readonly failed: Record<string, string> = {};
  /** Settles (never rejects) once the best reachable tier serves, every better one failed, or the entry was dropped. */
  done: Promise<void> = Promise.resolve();
  private pending = false;
  private cancelled = false;

  constructor(
    readonly tiers: readonly string[],
    quickestMs: number,
  ) {
    this.serving = tiers.at(-1)!;
    this.compileMs[this.serving] = quickestMs;
  }

  /** The signature left the cache (evicted, cleared): a compile still running is discarded when it ends. */
  cancel(): void {
    this.cancelled = true;
  }

  report(): TierReport {
    return {
      tiers: this.tiers,
      serving: this.serving,
      lastRan: this.lastRan,
      compileMs: { ...this.compileMs },
      failed: { ...this.failed },
      pending: this.pending,
    };
  }

  /**
   * Compiles the better tiers, best first, off the caller's turn of the event loop; the first that
   * compiles is handed to `promote` (unless the signature was dropped meanwhile, then disposed).
   */
  climb(
    traced: TracedCall,
    options: CompileOptions,
    callTree: CallTreeOf | undefined,
    promote: (better: CompiledGraph, tier: string) => void,
    failed: (tier: string, error: unknown) => void,
  ): void {
    this.pending = true;
    this.done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const tier of this.tiers.slice(0, -1)) {
        if (this.cancelled) break;
        const start = performance.now();
        let better: CompiledGraph | undefined;
        try {
          better = CompiledGraph.fromTrace(traced, { ...options, backend: tier }, callTree, true);
          await better.whenCompiled();
        } catch (error) {
          better?.dispose();
          this.failed[tier] = (error as Error)?.message ?? String(error);
          if (!this.cancelled) failed(tier, error);
          continue;
        }
        this.compileMs[tier] = performance.now() - start;
        if (this.cancelled) better.dispose();
        else {
          this.serving = tier;
          promote(better, tier);
        }
        break;
      }
      this.pending = false;
    })();
  }
}

/** Called when a better tier fails to compile (calls stay on `serving`). */
export type TierFailed = (tier: string, error: unknown, serving: string) => void;

/**
 * Compiles a traced call on the quickest of `tiers` now (the last) and the better ones in the
 * background; the returned program adopts the first better one that compiles. Without tiers, one
 * plain compile on `options.backend`.
 */
export function compileTiered(
  traced: TracedCall,
  options: CompileOptions,
  tiers: readonly string[] | undefined,
  callTree: CallTreeOf | undefined,
  onTierUp: (tier: string) => void,
  onFailed: TierFailed,
): CompiledGraph {
  if (!tiers) return CompiledGraph.fromTrace(traced, options, callTree);
  const start = performance.now();
  const quick = CompiledGraph.fromTrace(traced, { ...options, backend: tiers.at(-1)! }, callTree);
  const state = new TierState(tiers, performance.now() - start);
  const promote = (better: CompiledGraph, tier: string) => {
    quick.adopt(better);
    onTierUp(tier);
  };
  state.climb(traced, options, callTree, promote, (tier, error) => onFailed(tier, error, state.serving));
  return quick.withTiers(state);
}

/** A TierFailed that warns once per tier name in `warned`, naming `where`. */
export function warnOncePerTier(where: string, warned: Set<string>): TierFailed {
  return (tier, error, serving) => {
    if (warned.has(tier)) return;
    warned.add(tier);
    console.warn(
      `${where}: tier '${tier}' failed to compile, so calls stay on '${serving}'. ` +
        `Cause: ${(error as Error)?.message ?? String(error)}`,
    );
  };
}
