import type { PassInsertion } from '@paradox/pass-manager';

/** How a graph is compiled: StaticGraph.optimize() and jit() take these. */
export interface CompileOptions {
  /** Pass pipeline, as text (`'dce,cse,fusion'`) or a list of steps; `'default'` (the default) is jit's pipeline. */
  pipeline?: string | readonly string[];
  /** Registered backend name; defaults to the highest-priority backend at compile time. */
  backend?: string;
  /** Run the IR verifier after every pass (and check that no pass mutates its input). */
  verify?: boolean;
  /** Per-pass options, by pass name (e.g. `{ fusion: { recomputeCost: 4 } }`). */
  passOptions?: Record<string, Record<string, unknown>>;
  /** Passes added at named points of the pipeline, e.g. `[{ at: 'before:fusion', pipeline: 'my-pass' }]`. */
  insert?: readonly PassInsertion[];
  /**
   * Buffer donation (JAX's donate_argnums): argument positions whose tensors the call may consume.
   * Outputs proven safe to write in place take their memory (a training step updates parameters and
   * optimizer state without allocating); every donated tensor is invalid afterwards (TensorDonatedError).
   */
  donate?: readonly number[];
}

/** CompileOptions whose backend may be tiers (jit and StaticGraph.optimize take these). */
export interface TieredCompileOptions extends Omit<CompileOptions, 'backend'> {
  /**
   * Registered backend name, or tiers: an ordered list, best first (`['c', 'js']`). A new signature
   * first compiles on the last (quickest) tier and runs there; better tiers compile in the background
   * and take over once ready; `ready()` waits for the best one. Default: the registry's
   * `defaultTiers()` (a slow-compile backend such as 'c' above the quick default, then that default).
   */
  backend?: string | readonly string[];
}

export interface JitOptions extends TieredCompileOptions {
  /**
   * Values baked into the trace instead of becoming inputs: argument positions (numbers) and, for
   * `@jit` methods, field names of `this` (strings). Part of the cache key by value (primitives) or
   * identity (objects, tensors).
   */
  static?: readonly (number | string)[];
  /** Most compiled signatures kept (least recently used evicted first). Default 64. */
  cacheSize?: number;
  /** What to do when the backend cannot run the function: `'eager'` (default: run eagerly, warn once) or `'error'`. */
  fallback?: 'eager' | 'error';
  /** Warn once after this many consecutive calls that each retraced (default 5; `false` never warns). */
  retraceWarning?: number | false;
  /** Log every cache miss with its explanation (console.debug) and verify the IR after every pass. */
  debug?: boolean;
}

/** Every option name, for the unknown-option check (a typo must not be silently ignored). */
export const COMPILE_OPTION_NAMES = [
  'pipeline',
  'backend',
  'verify',
  'passOptions',
  'insert',
  'donate',
] as const;
export const JIT_OPTION_NAMES = [
  ...COMPILE_OPTION_NAMES,
  'static',
  'cacheSize',
  'fallback',
  'retraceWarning',
  'debug',
] as const;
// Compile-time check that the list names every option.
type Unlisted = Exclude<keyof JitOptions, (typeof JIT_OPTION_NAMES)[number]>;
export const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;

export const DEFAULT_CACHE_SIZE = 64;
export const DEFAULT_RETRACE_WARNING = 5;

/** The pipeline text for `options.pipeline`. */
export function pipelineText(pipeline: CompileOptions['pipeline']): string {
  if (pipeline === undefined) return 'default';
  return typeof pipeline === 'string' ? pipeline : pipeline.join(',');
}
