import { type EmitInput, type EmitOptions, registerEmitter } from './emitters.js';
import { EmitError } from './errors.js';

/**
 * `--emit code --backend NAME`: lowers the graph (@paradox/pass-lower) and renders the kernel
 * program with the backend's `render`. A backend registers itself when its package is imported,
 * so one not yet registered is loaded as @paradox/backend-NAME (NAME checked against a strict
 * pattern first). Run the fusion pass before lowering to get fused kernels. Lowering and the
 * backend registry are loaded on first use, which keeps paradox-opt's start-up small.
 */
const BACKEND_NAME = /^[a-z][a-z0-9-]*$/;

async function emitCode({ graph }: EmitInput, options: EmitOptions): Promise<string> {
  const name = options.backend;
  if (name === undefined) throw new EmitError('--emit code needs --backend NAME (e.g. --backend js)');
  if (!BACKEND_NAME.test(name)) throw new EmitError(`--backend '${name}' is not a backend name`);
  const [{ getBackend, listBackends }, { lowerGraph }] = await Promise.all([
    import('@paradox/backend'),
    import('@paradox/pass-lower'),
  ]);
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
  const backend = getBackend(name);
  if (typeof backend.render !== 'function')
    throw new EmitError(`backend '${name}' cannot render source (it has no render())`);
  try {
    return backend.render(lowerGraph(graph));
  } catch (error) {
    // LoweringError, UnsupportedOpError...: this graph cannot be emitted for this backend.
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new EmitError(`cannot emit code for backend '${name}': ${why}`, { cause: error });
  }
}

registerEmitter({ name: 'code', description: 'generated kernel source (--backend NAME)', emit: emitCode });
