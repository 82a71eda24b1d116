import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from './errors.js';

/**
 * `--load SPEC`: imports a third-party package (a bare name, resolved as paradox-opt's own imports
 * are) or a module file (a path, relative to the working directory). Such a module registers its
 * passes, pipelines, backends or emitters when imported, as the built-in packages do.
 */
export async function loadExtension(spec: string, cwd = process.cwd()): Promise<void> {
  const isPath = spec.startsWith('.') || isAbsolute(spec) || existsSync(resolve(cwd, spec));
  const target = isPath ? pathToFileURL(resolve(cwd, spec)).href : spec;
  try {
    await import(target);
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InputError(`--load '${spec}': cannot import it (${why})`, { cause: error });
  }
}
