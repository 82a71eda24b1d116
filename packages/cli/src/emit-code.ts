import { type EmitInput, type EmitOptions, registerEmitter } from './emitters.js';
import { EmitError } from './errors.js';
import { loadBackend } from './load-backend.js';

/**
 * `--emit code --backend NAME`: lowers the graph (@paradox/pass-lower) and renders the kernel
 * program with the backend's `render`. Run the fusion pass before lowering to get fused kernels
 * (the pipeline then sees the backend's capabilities, as jit's does). Lowering is loaded on
 * first use, which keeps paradox-opt's start-up small.
 */
async function emitCode({ graph }: EmitInput, options: EmitOptions): Promise<string> {
  const name = options.backend;
  if (name === undefined) throw new EmitError('--emit code needs --backend NAME (e.g. --backend js)');
  const [backend, { lowerGraph }] = await Promise.all([loadBackend(name), import('@paradox/pass-lower')]);
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
