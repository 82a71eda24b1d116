import type { SourceLoc } from '@paradox/ir';

/**
 * Finds the user's call site for a traced op: the innermost stack frame outside Paradox's own
 * packages, so errors raised later (by passes, lowering, a backend) can point at user code.
 */

/**
 * Paradox packages live side by side: `<root>/packages/<name>/src`, `<root>/packages/passes/<name>/src`,
 * or `node_modules/@paradox/<name>/dist` once installed. `<root>` is two levels above this package's `src`.
 */
const PACKAGE_ROOT = new URL('../..', import.meta.url).pathname;
const INTERNAL_FILE = new RegExp(`^${escapeRegExp(PACKAGE_ROOT)}(?:passes/)?[^/]+/(?:src|dist)/`);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `    at fn (file:line:col)` or `    at file:line:col`. */
const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return file;
  }
}

const isInternal = (file: string): boolean =>
  INTERNAL_FILE.test(file) || file.startsWith('node:') || file.includes('/node_modules/@paradox/');

/** The innermost non-Paradox frame of the current stack, or undefined when there is none. */
export function userCallSite(): SourceLoc | undefined {
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = savedLimit;
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = toPath(m[2]!);
    if (isInternal(file)) continue;
    const fn = m[1]?.replace(/^async /, '');
    return { file, line: Number(m[3]), column: Number(m[4]), ...(fn ? { fn } : {}) };
  }
  return undefined;
}

export const formatCallSite = (s: SourceLoc): string =>
  `${s.file}:${s.line}${s.column !== undefined ? `:${s.column}` : ''}`;
