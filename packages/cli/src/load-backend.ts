import type { Backend } from '@paradox/backend';
import { EmitError } from './errors.js';

/** Backend names are checked before they become part of a package name to import. */
const BACKEND_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The backend registered as `name`. A backend registers itself when its package is imported, so
 * one not registered yet (and not brought by `--load`) is loaded as @paradox/backend-NAME. The
 * backend registry is loaded on first use, which keeps paradox-opt's start-up small.
 */
export async function loadBackend(name: string): Promise<Backend> {
  if (!BACKEND_NAME.test(name)) throw new EmitError(`--backend '${name}' is not a backend name`);
  const { getBackend, listBackends } = await import('@paradox/backend');
  if (!listBackends().includes(name)) {
    try {
      await import(`@paradox/backend-${name}`);
    } catch (error) {
      const registered = listBackends().join(', ') || '(none)';
      throw new EmitError(
        `unknown backend '${name}' (registered: ${registered}; loading @paradox/backend-${name} failed: ${String(error)})`,
      );
    }
  }
  return getBackend(name);
}
