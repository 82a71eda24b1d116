import { BackendRegistrationError, NoBackendError, UnknownBackendError } from './errors.js';
import type { Backend } from './types.js';

/**
 * The backend registry. A backend package calls `registerBackend` when imported; `getBackend()`
 * without a name returns the highest-priority one (ties: the earliest registered).
 */
interface Entry {
  backend: Backend;
  priority: number;
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
    order: existing?.order ?? state.registrations++,
  });
}

/** Removes a backend; returns whether it was registered. */
export function unregisterBackend(name: string): boolean {
  return entries.delete(name);
}

/** The named backend, or the default (highest priority) when no name is given. */
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

/** Registered backend names, default first. */
export function listBackends(): string[] {
  return rankedEntries().map((e) => e.backend.name);
}

function rankedEntries(): Entry[] {
  return [...entries.values()].sort((a, b) => b.priority - a.priority || a.order - b.order);
}
