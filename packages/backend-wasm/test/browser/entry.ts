// Runs in headless Chromium (bundled by browser.test.ts): a jitted MLP and softmax on 'wasm'.
import { getBackend, listBackends } from '@paradox/backend';
import { simdSupported, threadsAvailable } from '@paradox/backend-wasm';
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

(globalThis as unknown as { paradoxWasm: (i: Inputs) => unknown }).paradoxWasm = (inputs: Inputs) => {
  const t = (k: keyof Inputs['shapes']) => tensor(Float32Array.from(inputs[k]), inputs.shapes[k], 'float32');
  const mlp = jit((x: T, w1: T, b1: T, w2: T, b2: T) => x.matmul(w1).add(b1).relu().matmul(w2).add(b2), {
    backend: 'wasm',
    fallback: 'error',
  });
  const softmax = jit((x: T) => x.softmax(-1), { backend: 'wasm', fallback: 'error' });
  const y = mlp(t('x'), t('w1'), t('b1'), t('w2'), t('b2'));
  const p = softmax(t('s'));
  return {
    defaultBackend: listBackends()[0],
    simd: simdSupported(),
    threads: threadsAvailable(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    wasmIsRegistered: getBackend('wasm').name === 'wasm',
    mlp: Array.from(y.dataSync() as Float32Array),
    softmax: Array.from(p.dataSync() as Float32Array),
  };
};
