import { getBackend } from '@paradox/backend';
import { flattenTree, type Tensor } from '@paradox/tracer';
import { type CallSpec, callTree, insideTrace } from './call-tree.js';
import { type CallTreeOf, CompiledGraph } from './compiled-graph.js';
import { JitError, JitFallbackError } from './errors.js';
import { explainMiss } from './explain.js';
import { describeFallback, type FallbackReason, fallbackReason, runFallback } from './fallback.js';
import { fastMatchFor } from './fast-match.js';
import type { JitInspection } from './inspection.js';
import { type CacheEntry, JitCache } from './jit-cache.js';
import {
  type CompileOptions,
  DEFAULT_CACHE_SIZE,
  DEFAULT_RETRACE_WARNING,
  type JitOptions,
} from './options.js';
import { type CallSignature, signatureOf } from './signature.js';
import { compileTiered, type TierFailed, tierList, warnOncePerTier } from './tiers.js';
import { type TracedCall, traceCall } from './trace-call.js';

export interface CacheInfo {
  hits: number;
  misses: number;
  /** Traces run (one per miss, plus lower()). */
  traces: number;
  /** Signatures that run eagerly because the backend cannot run them compiled. */
  fallbacks: number;
  /** Signatures whose calls moved to a better tier once its background compile finished. */
  tierUps: number;
  size: number;
  capacity: number;
}

/**
 * The state behind one jitted function or method: its signature cache and counters. A call first tries
 * the most recently used entry's specialized check (no flattening, no key string), then the keyed cache,
 * then traces and compiles.
 */
export class JitRuntime {
  private readonly cache: JitCache;
  private readonly compileOptions: CompileOptions;
  private readonly callTreeOf: CallTreeOf;
  private last: CacheEntry | undefined;
  private lastMiss: { signature: CallSignature; cached: CallSignature[] } | undefined;
  /** Whether the last call (not a control call) hit the cache, so explainCacheMiss() does not describe an older miss. */
  private lastCallHit = false;
  private missStreak = 0;
  private retraceWarned = false;
  private fallbackWarned = false;
  private readonly counts = { hits: 0, misses: 0, traces: 0, fallbacks: 0, tierUps: 0 };
  /** The backend option as tiers, best first (undefined for one backend or the default, resolved per miss). */
  private readonly tiers: readonly string[] | undefined;
  private readonly tierFailed: TierFailed;

  constructor(
    private readonly spec: CallSpec,
    private readonly options: JitOptions,
  ) {
    this.cache = new JitCache(Math.max(1, options.cacheSize ?? DEFAULT_CACHE_SIZE));
    const where = `jit(${spec.name})`;
    this.tiers = options.backend === undefined ? undefined : tierList(options.backend, where);
    this.tierFailed = warnOncePerTier(where, new Set());
    // lower() and the fallback name the quickest tier.
    const backend = typeof options.backend === 'string' ? options.backend : options.backend?.at(-1);
    this.compileOptions = {
      ...(options.pipeline !== undefined ? { pipeline: options.pipeline } : {}),
      ...(backend !== undefined ? { backend } : {}),
      ...(options.passOptions !== undefined ? { passOptions: options.passOptions } : {}),
      ...(options.insert !== undefined ? { insert: options.insert } : {}),
      ...(options.donate !== undefined ? { donate: options.donate } : {}),
      verify: options.verify ?? options.debug ?? false,
    };
    this.callTreeOf = spec.receiver
      ? (args) => callTree(spec, args[0], args.slice(1))
      : (args) => callTree(spec, undefined, args);
  }

  call(self: unknown, args: unknown[]): unknown {
    const last = this.last;
    if (last?.fast?.matches(args)) {
      this.cache.touch(last);
      this.counts.hits++;
      this.lastCallHit = true;
      this.missStreak = 0;
      return last.kind === 'compiled'
        ? last.compiled.runIndexed(args, last.fastPositions!, last.fastDonated)
        : this.runFallback(last.reason, self, args);
    }
    const { leaves, signature } = this.signatureFor(self, args);
    // Called from inside another trace: inline into it, like any other function.
    if (insideTrace(leaves)) return this.runEager(self, args);
    const misses = this.counts.misses;
    const entry = this.lookup(self, args, leaves, signature);
    this.lastCallHit = this.counts.misses === misses;
    return entry.kind === 'compiled'
      ? entry.compiled.runIndexed(leaves, entry.compiled.layout.inputLeaves)
      : this.runFallback(entry.reason, self, args);
  }

  /** The entry for a call's signature, tracing and compiling on a miss. */
  private lookup(self: unknown, args: unknown[], leaves: Tensor[], signature: CallSignature): CacheEntry {
    let entry = this.cache.get(signature.key);
    if (entry) {
      this.counts.hits++;
      this.missStreak = 0;
    } else entry = this.miss(self, args, leaves, signature);
    this.last = entry;
    return entry;
  }

  private miss(self: unknown, args: unknown[], leaves: Tensor[], signature: CallSignature): CacheEntry {
    this.counts.misses++;
    const cached = this.cache.signatures();
    this.lastMiss = { signature, cached };
    if (this.options.debug)
      console.debug(`jit(${this.spec.name}): cache miss: ${explainMiss(signature, cached)}`);
    const entry = this.build(self, args, leaves, signature);
    const evicted = this.cache.set(entry);
    if (evicted === this.last) this.last = undefined;
    this.missStreak++;
    const threshold = this.options.retraceWarning ?? DEFAULT_RETRACE_WARNING;
    if (threshold !== false && this.missStreak >= threshold && !this.retraceWarned) {
      this.retraceWarned = true;
      console.warn(
        `jit(${this.spec.name}): retraced on each of the last ${this.missStreak} calls (last change: ` +
          `${explainMiss(signature, cached)}). Every retrace traces and compiles again: keep shapes and static ` +
          'arguments fixed, or pass changing numbers as tensors.',
      );
    }
    return entry;
  }

  private build(self: unknown, args: unknown[], leaves: Tensor[], signature: CallSignature): CacheEntry {
    const fast = this.spec.receiver ? undefined : fastMatchFor(args, this.spec.staticArgs);
    this.counts.traces++;
    try {
      const compiled = this.traceAndCompile(self, args, leaves, signature);
      const fastPositions = fast && compiled.layout.inputLeaves.map((l) => fast.leafPositions[l]!);
      const fastDonated = fast && compiled.donation?.leaves.map((l) => fast.leafPositions[l]!);
      return {
        kind: 'compiled',
        compiled,
        signature,
        fast,
        fastPositions,
        ...(fastDonated ? { fastDonated } : {}),
        lastUsed: 0,
      };
    } catch (error) {
      const reason = fallbackReason(error, this.backendName());
      if (!reason) throw error;
      if (this.options.fallback === 'error')
        throw new JitFallbackError(this.spec.name, reason.op, reason.backend, error);
      this.counts.fallbacks++;
      if (!this.fallbackWarned) {
        this.fallbackWarned = true;
        console.warn(
          `jit(${this.spec.name}): '${reason.op}' cannot run compiled on backend '${reason.backend}', so this ` +
            `function ${describeFallback(reason)}. Cause: ${(error as Error).message}`,
        );
      }
      return { kind: 'eager', reason, signature, fast, fastPositions: undefined, lastUsed: 0 };
    }
  }

  /**
   * Traces and compiles a miss. Without `debug` the trace records no call sites (a stack capture per op
   * is most of a trace's cost); when the compile fails, the call is traced again with them and compiled
   * again, so the error (or the fallback's warning) names the user's line. The function runs twice then.
   */
  private traceAndCompile(
    self: unknown,
    args: unknown[],
    leaves: Tensor[],
    signature: CallSignature,
  ): CompiledGraph {
    const located = this.options.debug === true;
    const traced = traceCall(this.spec, self, args, leaves, signature, located);
    try {
      return this.compileTraced(traced);
    } catch (error) {
      if (located) throw error;
      return this.compileTraced(traceCall(this.spec, self, args, leaves, signature, true));
    }
  }

  private compileTraced(traced: TracedCall): CompiledGraph {
    // The first compile of a signature uses the quickest tier; better ones follow in the background
    // (the program adopts them: same input leaves, same donated leaves).
    const tiers = this.options.backend === undefined ? tierList(undefined, '') : this.tiers;
    const tierUp = () => this.counts.tierUps++;
    return compileTiered(traced, this.compileOptions, tiers, this.callTreeOf, tierUp, this.tierFailed);
  }

  private backendName(): string {
    if (this.compileOptions.backend !== undefined) return this.compileOptions.backend;
    try {
      return getBackend().name;
    } catch {
      return '(none registered)';
    }
  }

  private runEager(self: unknown, args: unknown[]): unknown {
    return (this.spec.fn as (...a: unknown[]) => unknown).apply(self, args);
  }

  private runFallback(reason: FallbackReason, self: unknown, args: unknown[]): unknown {
    return runFallback(this.spec.name, reason, () => this.runEager(self, args));
  }

  /** Control calls name the receiver first for methods: `[self, ...args]`. */
  private split(callArgs: unknown[]): [unknown, unknown[]] {
    return this.spec.receiver ? [callArgs[0], callArgs.slice(1)] : [undefined, callArgs];
  }

  private signatureFor(self: unknown, args: unknown[]): { leaves: Tensor[]; signature: CallSignature } {
    const { leaves, treedef } = flattenTree(callTree(this.spec, self, args));
    return { leaves, signature: signatureOf(treedef, leaves, !!this.spec.receiver) };
  }

  /** The entry for a call (compiled, not run, on a miss), or the last used one when no arguments are given. */
  private entryFor(callArgs: unknown[]): CacheEntry {
    if (callArgs.length === 0) {
      if (this.last) return this.last;
      throw new JitError(
        `jit(${this.spec.name}): nothing compiled yet; call the function first or pass arguments`,
      );
    }
    const [self, args] = this.split(callArgs);
    const { leaves, signature } = this.signatureFor(self, args);
    return this.lookup(self, args, leaves, signature);
  }

  private compiledFor(callArgs: unknown[]): CompiledGraph {
    const entry = this.entryFor(callArgs);
    if (entry.kind === 'eager') {
      throw new JitError(
        `jit(${this.spec.name}): this signature runs eagerly ('${entry.reason.op}' is not supported on backend ` +
          `'${entry.reason.backend}'), so there is no compiled program`,
      );
    }
    return entry.compiled;
  }

  /**
   * With arguments, a signature traced without call sites is traced again with them, and its IR
   * stages (traced, passes, optimized) come from compiling that trace on the serving backend.
   */
  inspect(callArgs: unknown[]): JitInspection {
    const compiled = this.compiledFor(callArgs);
    const info = compiled.inspect();
    if (compiled.sourceLocations || callArgs.length === 0) return info;
    const [self, args] = this.split(callArgs);
    const { leaves, signature } = this.signatureFor(self, args);
    const traced = traceCall(this.spec, self, args, leaves, signature, true);
    const located = CompiledGraph.fromTrace(traced, {
      ...this.compileOptions,
      backend: compiled.backend.name,
    });
    try {
      const {
        traced: tracedText,
        passes,
        optimized,
        outputs,
        outputTexts,
        fusionReport,
        fusionReportText,
      } = located.inspect();
      return {
        ...info,
        traced: tracedText,
        passes,
        optimized,
        outputs,
        outputTexts,
        ...(fusionReport ? { fusionReport, fusionReportText } : {}),
      };
    } finally {
      located.dispose();
    }
  }

  /** Waits until the best tier that compiles serves the call's signature (compiling the quickest on a miss); returns its backend. */
  async ready(callArgs: unknown[]): Promise<string | undefined> {
    const entry = this.entryFor(callArgs);
    return entry.kind === 'compiled' ? entry.compiled.ready() : undefined;
  }

  export(callArgs: unknown[]): string {
    return this.compiledFor(callArgs).export();
  }

  /** A fresh compiled program for a call (not cached, not run); errors are not turned into a fallback. */
  lower(callArgs: unknown[]): CompiledGraph {
    const [self, args] = this.split(callArgs);
    const { leaves, signature } = this.signatureFor(self, args);
    this.counts.traces++;
    const traced = traceCall(this.spec, self, args, leaves, signature);
    return CompiledGraph.fromTrace(traced, this.compileOptions, this.callTreeOf);
  }

  /** Which part of the key changed: for a call against the cache, or for the last miss without arguments. */
  explainCacheMiss(callArgs: unknown[]): string {
    if (callArgs.length === 0) {
      if (this.lastCallHit) return 'the last call hit the cache (no miss)';
      return this.lastMiss ? explainMiss(this.lastMiss.signature, this.lastMiss.cached) : 'no cache miss yet';
    }
    const [self, args] = this.split(callArgs);
    return explainMiss(this.signatureFor(self, args).signature, this.cache.signatures());
  }

  cacheInfo(): CacheInfo {
    return { ...this.counts, size: this.cache.size, capacity: this.cache.capacity };
  }

  clearCache(): void {
    this.cache.clear();
    this.last = undefined;
  }
}
