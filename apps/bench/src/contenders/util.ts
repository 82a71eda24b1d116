import type { Session, Workload } from '../types.js';

export const errorText = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();

/** errorText plus where it was thrown: `message (at fn, file.js:123)`, file without its directory. */
export function errorWhere(e: unknown): string {
  const text = errorText(e);
  const frame = e instanceof Error ? e.stack?.split('\n').find((l) => /^\s+at /.test(l)) : undefined;
  const m = frame?.match(/at (?:(\S+) \()?(?:.*[\\/])?([^\\/:()]+):(\d+):\d+\)?$/);
  if (!m) return text;
  return `${text} (at ${m[1] ? `${m[1]}, ` : ''}${m[2]}:${m[3]})`;
}

/** Workloads handled by a set of per-workload setup functions; the rest get `reason`. */
export function unsupportedUnless(ids: readonly string[], reason: string) {
  return (w: Workload): string | undefined => (ids.includes(w.id) ? undefined : reason);
}

/**
 * A session for libraries with "make tensors, run a function, read a host array" shape:
 * `upload` turns host arrays into the library's tensors, `compute` runs the workload and returns
 * the result on the host, `free` releases tensors.
 */
export function simpleSession<T>(opts: {
  inputs: Float32Array[];
  upload(inputs: Float32Array[]): T;
  compute(t: T): Float32Array | Promise<Float32Array>;
  free(t: T): void;
}): Session {
  const bound = opts.upload(opts.inputs);
  let last: Float32Array = new Float32Array(0);
  const isPromise = (v: unknown): v is Promise<Float32Array> =>
    typeof (v as Promise<unknown>)?.then === 'function';
  return {
    run() {
      const r = opts.compute(bound);
      if (isPromise(r)) {
        return r.then((v) => {
          last = v;
        });
      }
      last = r;
    },
    result: () => last,
    runFresh(inputs) {
      const t = opts.upload(inputs);
      const r = opts.compute(t);
      if (isPromise(r)) {
        return r.then((v) => {
          last = v;
          opts.free(t);
        });
      }
      last = r;
      opts.free(t);
    },
    dispose: () => opts.free(bound),
  };
}
