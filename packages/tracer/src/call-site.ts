import type { SourceLoc } from '@paradox/ir';
import { isInternalPath, isSharedBundle, isTensorMethodFrame, urlPath } from './own-frames.js';
import { activeTrace } from './trace-stack.js';

/**
 * Finds the user's call site for a traced op: the innermost stack frame outside Paradox's own
 * packages, so errors raised later (by passes, lowering, a backend) can point at user code.
 */

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

/** Per generated file name (a handful per program): whether it is Paradox's own, decided once. */
const internalByFile = new Map<string, boolean>();

function isInternal(file: string): boolean {
  let internal = internalByFile.get(file);
  if (internal === undefined) {
    internal = isInternalPath(urlPath(file));
    internalByFile.set(file, internal);
  }
  return internal;
}

/** Paradox's own frames above a user call: enough for the usual case; deeper stacks retry with more. */
const SHALLOW_FRAMES = 14;
const DEEP_FRAMES = 64;
/**
 * Frames above the user's call when a tensor method captures on entry (withOneCallSite, which calls
 * the capture itself): withOneCallSite, the method's plumbing (apply, unary), the public method, and
 * one composite method above it. Every frame walked costs (V8 summarizes optimized frames and makes
 * a CallSite of each), so the entry capture walks few.
 */
const ENTRY_FRAMES = 6;

/**
 * Formatted locations by formatter, generated file and position (then function name). A loop that
 * traces 1,000 ops from one line formats (and source-maps) that line once. Looked up without building
 * a key string, as it runs for every traced op. Bounded: positions are program text, few in
 * practice; past the cap the cache starts over.
 */
type SiteCache = Map<string, Map<number, { fn: string | null; site: SourceLoc | null }[]>>;
const formattedSites = new WeakMap<object, { files: SiteCache; size: number }>();
const FORMATTED_SITES_CAPACITY = 4096;

/**
 * The innermost non-Paradox frame of the current stack, or undefined when there is none.
 *
 * This runs for every traced node, so it never formats the whole stack: reading `new Error().stack`
 * source-maps and prints every frame (most of a 1,000-op trace's time under tsx). Instead the
 * structured frames are captured, internal ones are skipped by their file name, and only the chosen
 * frame goes through the environment's formatter (`Error.prepareStackTrace`, which applies source maps
 * under tsx, vitest or --enable-source-maps), so locations are exactly what a full stack would show.
 */
export function userCallSite(): SourceLoc | undefined {
  let site: SourceLoc | undefined;
  if (shared?.captured) site = shared.site;
  else {
    site = captureSite(SHALLOW_FRAMES, shared?.entry);
    if (shared) {
      shared.captured = true;
      shared.site = site;
    }
  }
  return site && { ...site }; // cached sites are shared; each node gets its own
}

/** Innermost user frame below `entry` (or below every internal frame), deeper stacks retried. */
function captureSite(shallowFrames: number, entry?: Entry): SourceLoc | undefined {
  const shallow = captureUserFrame(shallowFrames, entry);
  return shallow.found
    ? shallow.site
    : shallow.truncated
      ? captureUserFrame(DEEP_FRAMES, entry).site
      : undefined;
}

type Entry = (...args: any) => unknown;

/**
 * The site of the tensor method or public function running now, once captured: every node it
 * records shares it. `entry` is the public function the user called, when that is what runs.
 */
let shared: { captured: boolean; site: SourceLoc | undefined; entry?: Entry } | undefined;

/**
 * Runs one tensor method that may record several nodes (a binary op's scalar constant, broadcast
 * and the op itself) with one stack capture for all of them: they share the user's call site, and
 * capturing a stack is most of what tracing an op costs. While a trace records, the capture happens
 * here, on entry, where few frames stand above the user's (eager ops, and traces without source
 * locations, capture nothing). `body` must not call user code.
 */
export function withOneCallSite<T>(body: () => T): T {
  if (shared) return body();
  const tracing = activeTrace()?.locations === true;
  let site: SourceLoc | undefined;
  if (tracing) {
    // Captured here, not through a helper: no frame of this module's own stands above this one.
    const armed = armCapture(ENTRY_FRAMES, undefined);
    try {
      Error.captureStackTrace(armed.holder);
      Reflect.get(armed.holder, 'stack'); // see captureUserFrame
    } finally {
      armed.restore();
    }
    const first = armed.capture;
    site = first.found
      ? first.site
      : first.truncated
        ? captureUserFrame(DEEP_FRAMES, undefined).site
        : undefined;
  }
  shared = { captured: tracing, site };
  try {
    return body();
  } finally {
    shared = undefined;
  }
}

/**
 * Wraps a public function that records ops and calls no user code (a composite such as `gelu`, an op
 * spelled as a function such as `where`), so every node it records carries its caller's site. In a
 * bundle that shares one file with the user's code, paths cannot tell Paradox's frames from the
 * user's, and such a function's frames are no tensor methods: the frame below the wrapper is the
 * user's (the wrapper is a closure made at run time, so no minifier inlines it into the caller).
 */
export function userEntry<F extends Entry>(fn: F): F {
  const entry = function (this: unknown, ...args: Parameters<F>) {
    if (shared) return fn.apply(this, args);
    // As withOneCallSite: captured on entry while a trace records; only the callers' frames are walked.
    shared = activeTrace()?.locations
      ? { captured: true, site: captureSite(ENTRY_FRAMES, entry), entry }
      : { captured: false, site: undefined, entry };
    try {
      return fn.apply(this, args);
    } finally {
      shared = undefined;
    }
  } as F;
  Object.defineProperty(entry, 'name', { value: fn.name });
  return entry;
}

/**
 * Runs `body`, Paradox code that calls no user code and runs after the user's code returned (autodiff's
 * backward rules), with `site` as the source of every node it records: the user's call it derives
 * from, which frames could not find in a bundle shared with the user's code.
 */
export function withCallSite<T>(site: SourceLoc, body: () => T): T {
  const outer = shared;
  shared = { captured: true, site };
  try {
    return body();
  } finally {
    shared = outer;
  }
}

interface Capture {
  found: boolean;
  site?: SourceLoc;
  /** The stack had more frames than were captured. */
  truncated: boolean;
}

/** One capture in progress: what the frame reader found once `holder.stack` is read, and the undo. */
interface ArmedCapture {
  holder: { stack?: unknown };
  capture: Capture;
  restore(): void;
}

/**
 * Sets the frame limit and installs the frame reader for one capture into `holder`; the caller runs
 * `Error.captureStackTrace(holder)`, reads `holder.stack`, then calls `restore()`.
 */
function armCapture(limit: number, entry: Entry | undefined): ArmedCapture {
  const savedLimit = Error.stackTraceLimit;
  const format = Error.prepareStackTrace;
  const armed: ArmedCapture = {
    holder: {},
    capture: { found: false, truncated: false },
    restore() {
      Error.prepareStackTrace = format;
      Error.stackTraceLimit = savedLimit;
    },
  };
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = (error, frames) => {
    const site = firstUserFrame(error, frames, format, entry !== undefined);
    armed.capture = {
      found: site !== undefined,
      ...(site ? { site } : {}),
      truncated: frames.length >= limit,
    };
    return '';
  };
  return armed;
}

/** With `entry`, only its callers' frames: the first that is not Paradox's (by path, or a tensor method) is the user's. */
function captureUserFrame(limit: number, entry: Entry | undefined): Capture {
  const armed = armCapture(limit, entry);
  try {
    // No boundary function: a minifier (terser) may inline this one, and a boundary that is not on
    // the stack empties it. Our own frames on top are skipped like any other internal frame.
    Error.captureStackTrace(armed.holder, entry);
    // V8 runs prepareStackTrace on first read. Not `void holder.stack`: minifiers drop a bare read.
    Reflect.get(armed.holder, 'stack');
  } finally {
    armed.restore();
  }
  return armed.capture;
}

type StackFormatter = typeof Error.prepareStackTrace;

function firstUserFrame(
  error: Error,
  frames: NodeJS.CallSite[],
  format: StackFormatter,
  belowEntry: boolean,
): SourceLoc | undefined {
  let belowTensorMethod = belowEntry;
  for (const frame of frames) {
    // Code from eval or `new Function` has no file name, only its `//# sourceURL=` name.
    const generatedFile = frame.getFileName() ?? frame.getScriptNameOrSourceURL?.();
    if (generatedFile === undefined || generatedFile === null) continue;
    if (isSharedBundle(generatedFile)) {
      // One file holds Paradox and the user's code: the user's frame is the one below the
      // innermost run of tensor-method frames.
      if (isTensorMethodFrame(frame)) {
        belowTensorMethod = true;
        continue;
      }
      if (!belowTensorMethod) continue;
    } else if (isInternal(generatedFile)) continue;
    const site = formattedSite(error, frame, generatedFile, format);
    if (site) return site;
  }
  return undefined;
}

/**
 * The frame as the environment's formatter prints it, parsed; null when it maps back inside Paradox
 * (a source map may place generated user-looking code there).
 */
function formattedSite(
  error: Error,
  frame: NodeJS.CallSite,
  generatedFile: string,
  format: StackFormatter,
): SourceLoc | null {
  const cacheOwner = format ?? internalByFile;
  let cache = formattedSites.get(cacheOwner);
  if (!cache || cache.size >= FORMATTED_SITES_CAPACITY) {
    cache = { files: new Map(), size: 0 };
    formattedSites.set(cacheOwner, cache);
  }
  let positions = cache.files.get(generatedFile);
  if (!positions) {
    positions = new Map();
    cache.files.set(generatedFile, positions);
  }
  // Lines and columns are below 2^26 in any real file; the product stays an exact double.
  const position = (frame.getLineNumber() ?? 0) * 2 ** 26 + (frame.getColumnNumber() ?? 0);
  const fn = frame.getFunctionName();
  let entries = positions.get(position);
  const known = entries?.find((e) => e.fn === fn);
  if (known) return known.site;
  const site = parseFrame(formatFrame(error, frame, format)) ?? null;
  const userSite = site && (isSharedBundle(generatedFile) || !isInternalPath(site.file)) ? site : null;
  if (!entries) {
    entries = [];
    positions.set(position, entries);
  }
  entries.push({ fn, site: userSite });
  cache.size++;
  return userSite;
}

function formatFrame(error: Error, frame: NodeJS.CallSite, format: StackFormatter): string {
  const formatted = format ? format(error, [frame]) : undefined;
  return typeof formatted === 'string'
    ? (formatted.split('\n').find((l) => FRAME.test(l)) ?? '')
    : `    at ${frame}`;
}

function parseFrame(line: string): SourceLoc | undefined {
  const m = FRAME.exec(line);
  if (!m) return undefined;
  const fn = m[1]?.replace(/^async /, '');
  return { file: toPath(m[2]!), line: Number(m[3]), column: Number(m[4]), ...(fn ? { fn } : {}) };
}

export const formatCallSite = (s: SourceLoc): string =>
  `${s.file}:${s.line}${s.column !== undefined ? `:${s.column}` : ''}`;
