import { CompiledGraph } from './compiled-graph.js';
import { JitError } from './errors.js';
import type { CompileOptions, JitOptions } from './options.js';
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

/** The backend option as a list of tiers (best first), or undefined for a single backend. */
export function tierList(backend: JitOptions['backend'], fn: string): readonly string[] | undefined {
  if (backend === undefined || typeof backend === 'string') return undefined;
  const list = [...backend];
  const bad = list.findIndex((b) => typeof b !== 'string' || b === '');
  if (!Array.isArray(backend) || list.length === 0 || bad >= 0)
    throw new JitError(
      `jit(${fn}): option 'backend' must be a backend name or a non-empty list of names, best first` +
        (bad >= 0 ? ` (entry ${bad} is ${JSON.stringify(list[bad]) ?? typeof list[bad]})` : ''),
    );
  const twice = list.find((b, i) => list.indexOf(b) !== i);
  if (twice !== undefined) throw new JitError(`jit(${fn}): option 'backend' names '${twice}' twice`);
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
    callTree: ConstructorParameters<typeof CompiledGraph>[5],
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
