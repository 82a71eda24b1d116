import { createRequire } from 'node:module';
import { CudaUnavailableError } from '../errors.js';

/** The slice of koffi's API the driver bindings use (koffi 3: pointers are bigint). */
export interface Koffi {
  load(path: string): KoffiLibrary;
  alloc(type: string, length: number): bigint;
  free(pointer: bigint): void;
  encode(pointer: bigint, offset: number, type: string, value: unknown): void;
  decode(pointer: bigint, offset: number, type: string): unknown;
}

export interface KoffiLibrary {
  func(prototype: string): (...args: any[]) => any;
  unload(): void;
}

let cached: Koffi | Error | undefined;

/**
 * Loads koffi on first use. It is a native addon: loading it at import time could make importing
 * this package fail on a platform without a prebuilt binary, which must never happen.
 */
export function loadKoffi(): Koffi {
  if (cached === undefined) {
    try {
      const require = createRequire(import.meta.url);
      cached = require('koffi') as Koffi;
    } catch (error) {
      cached = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (cached instanceof Error) {
    throw new CudaUnavailableError(`the koffi FFI module could not be loaded: ${cached.message}`, {
      cause: cached,
    });
  }
  return cached;
}

/** Opens the first shared library of `candidates` that loads; the error lists every attempt. */
export function openLibrary(what: string, candidates: readonly string[], hint: string): KoffiLibrary {
  const koffi = loadKoffi();
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      return koffi.load(path);
    } catch (error) {
      failures.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new CudaUnavailableError(`${what} not found (${hint}). Tried:\n  ${failures.join('\n  ')}`);
}
