import type { CallSpec } from './call-tree.js';
import type { CompiledGraph } from './compiled-graph.js';
import { JitError } from './errors.js';
import type { JitInspection } from './inspection.js';
import { type CacheInfo, JitRuntime } from './jit-runtime.js';
import { checkOptionNames } from './option-names.js';
import { JIT_OPTION_NAMES, type JitOptions } from './options.js';

type AnyFn = (...args: any[]) => any;

/** Controls every jitted function and method carries. For methods, calls with arguments name the receiver first. */
export interface JitControls<Args extends unknown[], R = unknown> {
  /** IR before/after each pass, kernels, generated code and fusion report: of the last call, or of `args`. */
  inspect(...args: Args | []): JitInspection;
  /** A compiled program for `args`, without running it and without touching the cache. */
  lower(...args: Args): CompiledGraph<Args, R>;
  /** The compiled program of the last call (or of `args`) as JSON for `loadCompiled`. */
  export(...args: Args | []): string;
  /** Which part of the signature changed, vs the closest cached entry: for the last miss, or for `args`. */
  explainCacheMiss(...args: Args | []): string;
  cacheInfo(): CacheInfo;
  /**
   * With tiers (`backend: ['c', 'js']`): resolves once the best tier that compiles serves the last
   * call's signature, or `args`' (compiled on the quickest tier first on a miss), with that tier's name.
   */
  ready(...args: Args | []): Promise<string | undefined>;
  /** Drops every compiled program (disposing them). */
  clearCache(): void;
}

export type JittedFunction<F extends AnyFn> = ((...args: Parameters<F>) => ReturnType<F>) &
  JitControls<Parameters<F>, ReturnType<F>>;

export type JittedMethod<This, A extends unknown[], R> = ((this: This, ...args: A) => R) &
  JitControls<[This, ...A], R>;

type Method<This, A extends unknown[], R> = (this: This, ...args: A) => R;
type MethodDecorator = <This, A extends unknown[], R>(
  method: Method<This, A, R>,
  context: ClassMethodDecoratorContext<This, Method<This, A, R>>,
) => JittedMethod<This, A, R>;

function withControls<T extends object>(target: T, runtime: JitRuntime): T & JitControls<unknown[]> {
  const controls: JitControls<unknown[]> = {
    inspect: (...args) => runtime.inspect(args),
    lower: (...args) => runtime.lower(args),
    export: (...args) => runtime.export(args),
    explainCacheMiss: (...args) => runtime.explainCacheMiss(args),
    cacheInfo: () => runtime.cacheInfo(),
    ready: (...args) => runtime.ready(args),
    clearCache: () => runtime.clearCache(),
  };
  return Object.assign(target, controls);
}

function checkOptions(options: JitOptions, where: string, allowFields: boolean): void {
  checkOptionNames(options, JIT_OPTION_NAMES, where);
  if (options.static !== undefined && !Array.isArray(options.static))
    throw new JitError(
      `${where}: static must be a list of argument indices${allowFields ? ' or field names' : ''}`,
    );
  for (const s of options.static ?? []) {
    const ok = typeof s === 'number' ? Number.isInteger(s) && s >= 0 : typeof s === 'string' && allowFields;
    if (!ok) {
      throw new JitError(
        `${where}: static entry ${JSON.stringify(s)} is not ${allowFields ? 'an argument index or a field name' : 'an argument index (field names need @jit on a method)'}`,
      );
    }
  }
  if (options.donate !== undefined) {
    const ok =
      Array.isArray(options.donate) && options.donate.every((i) => Number.isInteger(i) && (i as number) >= 0);
    if (!ok)
      throw new JitError(
        `${where}: donate must be a list of argument indices, got ${JSON.stringify(options.donate)}`,
      );
    const both = options.donate.filter((i) => options.static?.includes(i));
    if (both.length > 0)
      throw new JitError(
        `${where}: argument ${both[0]} is both static and donated (a static value has no buffer to donate)`,
      );
  }
  if (options.fallback !== undefined && options.fallback !== 'eager' && options.fallback !== 'error')
    throw new JitError(
      `${where}: fallback must be 'eager' or 'error', got ${JSON.stringify(options.fallback)}`,
    );
  if (options.cacheSize !== undefined && !(Number.isInteger(options.cacheSize) && options.cacheSize >= 1)) {
    throw new JitError(`${where}: cacheSize must be a positive integer, got ${options.cacheSize}`);
  }
}

function jitFunction<F extends AnyFn>(fn: F, options: JitOptions): JittedFunction<F> {
  const name = fn.name || 'f';
  checkOptions(options, `jit(${name})`, false);
  const spec: CallSpec = { name, fn, staticArgs: new Set(options.static as number[] | undefined) };
  const runtime = new JitRuntime(spec, options);
  const jitted = (...args: unknown[]) => runtime.call(undefined, args);
  Object.defineProperty(jitted, 'name', { value: name });
  return withControls(jitted, runtime) as unknown as JittedFunction<F>;
}

function jitMethod<This, A extends unknown[], R>(
  method: Method<This, A, R>,
  context: ClassMethodDecoratorContext<This, Method<This, A, R>>,
  options: JitOptions,
): JittedMethod<This, A, R> {
  const name = String(context.name);
  if (context.kind !== 'method') throw new JitError(`@jit decorates methods, not ${context.kind}s (${name})`);
  if (context.static)
    throw new JitError(`@jit on static method ${name}: use jit(fn) for functions without a receiver`);
  checkOptions(options, `@jit ${name}`, true);
  const spec: CallSpec = {
    name,
    fn: method as CallSpec['fn'],
    staticArgs: new Set((options.static ?? []).filter((s): s is number => typeof s === 'number')),
    receiver: {
      staticFields: new Set((options.static ?? []).filter((s): s is string => typeof s === 'string')),
    },
  };
  const runtime = new JitRuntime(spec, options);
  const jitted = function (this: This, ...args: A): R {
    return runtime.call(this, args) as R;
  };
  Object.defineProperty(jitted, 'name', { value: name });
  return withControls(jitted, runtime) as unknown as JittedMethod<This, A, R>;
}

const isMethodContext = (x: unknown): x is ClassMethodDecoratorContext =>
  typeof x === 'object' && x !== null && 'kind' in x && 'name' in x && 'addInitializer' in x;

/**
 * Compiles a tensor function per input signature (shapes, dtypes, static arguments, pytree structure,
 * aliasing): the first call per signature traces and compiles, later calls run the cached program.
 * Also a TC39 method decorator: `@jit` or `@jit({ static: ['config'] })`; tensors in the receiver's
 * fields become inputs, so instances with different weights share one program.
 */
export function jit<This, A extends unknown[], R>(
  method: Method<This, A, R>,
  context: ClassMethodDecoratorContext<This, Method<This, A, R>>,
): JittedMethod<This, A, R>;
export function jit<F extends AnyFn>(fn: F, options?: JitOptions): JittedFunction<F>;
export function jit(options?: JitOptions): MethodDecorator;
export function jit(a?: AnyFn | JitOptions, b?: JitOptions | ClassMethodDecoratorContext): unknown {
  if (typeof a !== 'function') {
    const options = a ?? {};
    checkOptionNames(options, JIT_OPTION_NAMES, '@jit(options)');
    return ((method: AnyFn, context: ClassMethodDecoratorContext) => {
      if (!isMethodContext(context))
        throw new JitError('jit(options) returns a method decorator; use jit(fn, options) for functions');
      return jitMethod(method, context, options);
    }) as MethodDecorator;
  }
  if (isMethodContext(b)) return jitMethod(a, b, {});
  return jitFunction(a, (b as JitOptions | undefined) ?? {});
}

/** The prototype's name for `jit`. */
export const jitCompile = jit;
