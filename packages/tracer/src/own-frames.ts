/**
 * Where Paradox's own code runs, for telling its stack frames from the user's.
 *
 * Installed or in this repository, Paradox's packages are separate files side by side:
 * `<root>/<name>/(src|dist)/` or `<root>/passes/<name>/src/` (`<root>` is `node_modules/@paradox/` or
 * `packages/`), learnt from this module's own file name as the runtime reports it. Nothing is resolved
 * relative to `import.meta.url`, which bundlers (webpack) try to resolve as a module at build time.
 * Bundled into one file with the user's code, paths cannot tell: there, frames of methods called on
 * Paradox's tensor classes (and what they call) are Paradox's, and the frame below them is the user's.
 */

/** The file (path or URL) of this function's own frame, as V8 names it in structured stack frames. */
function ownFileName(): string | undefined {
  const format = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  let file: string | undefined;
  Error.prepareStackTrace = (_error, frames) => {
    file = frames[0]?.getFileName() ?? frames[0]?.getScriptNameOrSourceURL?.() ?? undefined;
    return '';
  };
  try {
    // No boundary function: a minifier may inline this one, and a boundary not on the stack empties it.
    Error.captureStackTrace(holder);
    // V8 runs prepareStackTrace on first read. Not `void holder.stack`: minifiers drop a bare read.
    Reflect.get(holder, 'stack');
  } finally {
    Error.prepareStackTrace = format;
  }
  return file;
}

/** The path of a file:, http: or https: URL (browsers name module frames by URL), else the name itself. */
export function urlPath(file: string): string {
  if (!/^(?:file|https?):\/\//.test(file)) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return file;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** This module's file as frames name it; undefined where the engine gives no structured frames. */
export const OWN_FILE: string | undefined = ownFileName();

// `<root>/tracer/(src|dist)/own-frames.(ts|js)`: the packages are separate files under `<root>`.
const LAYOUT = /^(.*\/)tracer\/(?:src|dist)\/[^/]+$/;
const packageRoot = OWN_FILE === undefined ? undefined : LAYOUT.exec(urlPath(OWN_FILE))?.[1];

const INTERNAL_FILE = packageRoot
  ? new RegExp(`^${escapeRegExp(packageRoot)}(?:passes/)?[^/]+/(?:src|dist)/`)
  : undefined;

/** A path (not URL) inside one of Paradox's packages. */
export const isInternalPath = (path: string): boolean =>
  INTERNAL_FILE?.test(path) === true || path.startsWith('node:') || path.includes('/node_modules/@paradox/');

/** Paradox shares its file with other code: bundled (esbuild, vite build, webpack production). */
export const isSharedBundle = (file: string): boolean => packageRoot === undefined && file === OWN_FILE;

/** Runtime names of Paradox's tensor classes (minified in a bundle: compared as the bundle names them). */
const tensorClassNames = new Set<string>();

/** Registers the classes whose method frames are Paradox's own in a shared bundle. */
export function markTensorClasses(...classes: (abstract new (...args: never[]) => unknown)[]): void {
  for (const c of classes) if (c.name) tensorClassNames.add(c.name);
}

/** A frame of a method called on one of Paradox's tensors. */
export const isTensorMethodFrame = (frame: NodeJS.CallSite): boolean => {
  const type = frame.getTypeName();
  return type !== null && tensorClassNames.has(type);
};
