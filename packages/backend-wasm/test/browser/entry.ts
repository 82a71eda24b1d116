// Runs in headless Chromium (bundled by browser.test.ts): a jitted MLP and softmax on 'wasm'.
import { getBackend, listBackends, registerBackend } from '@paradox/backend';
import { createWasmBackend, simdSupported, threadsAvailable } from '@paradox/backend-wasm';
import { jit } from '@paradox/jit';
import { tensor } from '@paradox/tracer';

interface Inputs {
  x: number[];
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number[];
  s: number[];
  shapes: Record<'x' | 'w1' | 'b1' | 'w2' | 'b2' | 's', number[]>;
}

type T = any;

(globalThis as unknown as { paradoxWasm: (i: Inputs, threads?: number) => unknown }).paradoxWasm = async (
  inputs: Inputs,
  threads = 1,
) => {
  // Threaded: a second backend over shared memory, every kernel split (minParallelWork 0).
  const backend = threads > 1 ? 'wasm-mt' : 'wasm';
  if (threads > 1)
    registerBackend(createWasmBackend({ name: backend, threads, minParallelWork: 0 }), { replace: true });
  const t = (k: keyof Inputs['shapes']) => tensor(Float32Array.from(inputs[k]), inputs.shapes[k], 'float32');
  const mlp = jit((x: T, w1: T, b1: T, w2: T, b2: T) => x.matmul(w1).add(b1).relu().matmul(w2).add(b2), {
    backend,
    fallback: 'error',
  });
  const softmax = jit((x: T) => x.softmax(-1), { backend, fallback: 'error' });
  let y = mlp(t('x'), t('w1'), t('b1'), t('w2'), t('b2'));
  let p = softmax(t('s'));
  if (threads > 1) {
    // Workers start, and receive the compiled modules, only once the page's thread is free.
    await new Promise((resolve) => setTimeout(resolve, 500));
    y = mlp(t('x'), t('w1'), t('b1'), t('w2'), t('b2'));
    p = softmax(t('s'));
  }
  return {
    parallelRuns: (getBackend(backend) as unknown as { parallelRuns: number }).parallelRuns,
    defaultBackend: listBackends()[0],
    simd: simdSupported(),
    threads: threadsAvailable(),
    backendThreads: (getBackend(backend) as unknown as { threads: number }).threads,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    wasmIsRegistered: getBackend('wasm').name === 'wasm',
    mlp: Array.from(y.dataSync() as Float32Array),
    softmax: Array.from(p.dataSync() as Float32Array),
  };
};
