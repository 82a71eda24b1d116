import { BackendRegistrationError, NoBackendError, UnknownBackendError } from './errors.js';
import type { Backend } from './types.js';

/**
 * The backend registry. A backend package calls `registerBackend` when imported. The default rule:
 * `getBackend()` without a name returns the highest-priority backend that compiles quickly (ties: the
 * earliest registered); a `slowCompile` backend (a compiler process per program) is never that
 * default, but when it outranks it, `defaultTiers()` puts it first: jit runs a new signature on the
 * quick default at once and moves to the slow backend once its background compile is done.
 */
interface Entry {
  backend: Backend;
  priority: number;
  /** Optional: entries made by an older copy of this package (the registry is shared) lack it. */
  slowCompile?: boolean;
  order: number;
}

interface RegistryState {
  entries: Map<string, Entry>;
  registrations: number;
}

/**
 * One registry per realm, shared through globalThis (as tfjs does): a second copy of this package
 * (two versions in node_modules, or one bundled twice) must not split the backends, or jit would
 * not see a backend that the user did import.
 */
const REGISTRY_KEY = Symbol.for('@paradox/backend/registry@1');
const shared = globalThis as { [REGISTRY_KEY]?: RegistryState };
shared[REGISTRY_KEY] ??= { entries: new Map(), registrations: 0 };
const state: RegistryState = shared[REGISTRY_KEY];
const entries = state.entries;

export interface RegisterOptions {
  /** Higher wins the default slot. backend-js registers with 100. */
  priority?: number;
  /** Replace a backend already registered under the same name (hot reload, tests). */
  replace?: boolean;
  /**
   * Compiling takes long (a C compiler run): never the default for eager ops or a first call; when
   * its priority is above the quick default's, default jit tiers up to it in the background.
   */
  slowCompile?: boolean;
}

export function registerBackend(backend: Backend, options: RegisterOptions = {}): void {
  if (!backend || typeof backend.name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(backend.name)) {
    throw new BackendRegistrationError(
      `a backend needs a name of letters, digits, '-' or '_' (got ${String(backend?.name)})`,
    );
  }
  if (typeof backend.compile !== 'function' || !backend.capabilities) {
    throw new BackendRegistrationError(`backend '${backend.name}' lacks compile() or capabilities`);
  }
  const existing = entries.get(backend.name);
  if (existing && existing.backend !== backend && !options.replace) {
    throw new BackendRegistrationError(
      `a different backend named '${backend.name}' is already registered (pass { replace: true } to replace it)`,
    );
  }
  entries.set(backend.name, {
    backend,
    priority: options.priority ?? 0,
    slowCompile: options.slowCompile ?? false,
    order: existing?.order ?? state.registrations++,
  });
}

/** Removes a backend; returns whether it was registered. */
export function unregisterBackend(name: string): boolean {
  return entries.delete(name);
}

/** The named backend, or the default (the highest-priority quick one) when no name is given. */
export function getBackend(name?: string): Backend {
  if (name !== undefined) {
    const entry = entries.get(name);
    if (!entry) throw new UnknownBackendError(name, listBackends());
    return entry.backend;
  }
  const best = rankedEntries()[0];
  if (!best) throw new NoBackendError();
  return best.backend;
}

/** Registered backend names, default first (quick ones by priority, then slow-compile ones by priority). */
export function listBackends(): string[] {
  return rankedEntries().map((e) => e.backend.name);
}

/**
 * The backends a compile without a backend name uses, best first: the highest-priority slow-compile
 * backend when it outranks the quick default, then the quick default; just the default otherwise.
 */
export function defaultTiers(): string[] {
  const ranked = rankedEntries();
  const quick = ranked[0];
  if (!quick) throw new NoBackendError();
  const slow = ranked.find((e) => e.slowCompile);
  return slow && slow !== quick && slow.priority > quick.priority
    ? [slow.backend.name, quick.backend.name]
    : [quick.backend.name];
}

function rankedEntries(): Entry[] {
  return [...entries.values()].sort(
    (a, b) =>
      (a.slowCompile ? 1 : 0) - (b.slowCompile ? 1 : 0) || b.priority - a.priority || a.order - b.order,
  );
}
