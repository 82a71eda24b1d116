import { createRequire } from 'node:module';
import { CLoadError, CUnavailableError } from './errors.js';
import { wideEntry } from './render/program.js';

/**
 * A program's entry point: `px_run(threads, b0, b1, ...)`, buffers passed as typed arrays (koffi
 * passes their memory, no copy); past MAX_DIRECT_BUFFERS, `px_run(threads, [b0, b1, ...])` (koffi
 * passes an array of their pointers).
 */
export type EntryPoint = (threads: number, ...buffers: (ArrayBufferView | ArrayBufferView[])[]) => void;

interface Koffi {
  load(path: string): { func(prototype: string): EntryPoint };
  address(value: ArrayBufferView): bigint;
}

let koffi: Koffi | Error | undefined;

/** koffi, loaded on first use (a native addon: importing this package must work without it). */
function loadKoffi(): Koffi {
  if (koffi === undefined) {
    try {
      koffi = createRequire(import.meta.url)('koffi') as Koffi;
    } catch (error) {
      koffi = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (koffi instanceof Error)
    throw new CUnavailableError(`the koffi FFI module could not be loaded: ${koffi.message}`);
  return koffi;
}

/** The memory address of a typed array's first element, or undefined without koffi. */
export function addressOf(view: ArrayBufferView): bigint | undefined {
  try {
    return loadKoffi().address(view);
  } catch {
    return undefined;
  }
}

/**
 * OpenMP threads must sleep between runs, not spin: libgomp (and LLVM's libomp) read
 * OMP_WAIT_POLICY when loaded (with the first program), so it is set first unless the user chose
 * otherwise. libgomp still spins briefly before sleeping where GOMP_SPINCOUNT says so (it overrides
 * the passive policy's count of 0): 3,000 spins, tens of microseconds, let a worker catch the next
 * parallel region of a program called in a loop without a futex wake (W2 on 2 threads: median
 * 1.05-1.16 -> 0.99-1.02 ms), and an idle process stops spinning right after.
 */
function quietOpenMp(): void {
  const env = process.env;
  if (env.OMP_WAIT_POLICY === undefined && env.GOMP_SPINCOUNT === undefined) env.GOMP_SPINCOUNT = '3000';
  env.OMP_WAIT_POLICY ??= 'passive';
}

/** Loaded entry points by cache key, shared by every backend instance of this process. */
const loaded = new Map<string, EntryPoint>();

/**
 * The entry point of the program with cache key `key`, taking `buffers` pointers: already loaded
 * in this process, or loaded from the shared object `build()` returns (cached or compiled).
 */
export function entryPoint(key: string, build: () => string, buffers: number): EntryPoint {
  return loaded.get(key) ?? load(key, build(), buffers);
}

/** entryPoint(), with a build that runs in the background. */
export async function entryPointAsync(
  key: string,
  build: () => Promise<string>,
  buffers: number,
): Promise<EntryPoint> {
  const known = loaded.get(key);
  if (known) return known;
  const path = await build();
  return loaded.get(key) ?? load(key, path, buffers);
}

function load(key: string, path: string, buffers: number): EntryPoint {
  quietOpenMp();
  const ffi = loadKoffi();
  let fn: EntryPoint;
  try {
    const pointers = wideEntry(buffers)
      ? ['void** b']
      : Array.from({ length: buffers }, (_, i) => `void* b${i}`);
    const params = ['int threads', ...pointers];
    fn = ffi.load(path).func(`void px_run(${params.join(', ')})`);
  } catch (error) {
    throw new CLoadError(`could not load compiled program ${path}: ${(error as Error).message}`);
  }
  loaded.set(key, fn);
  return fn;
}

/** Whether a program with this key is already loaded in this process (memory cache hit). */
export function isLoaded(key: string): boolean {
  return loaded.has(key);
}
