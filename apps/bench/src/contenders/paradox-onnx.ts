import type { Contender, Session, Workload } from '../types.js';
import { modelFor } from './onnxruntime.js';
import { loadParadox } from './paradox.js';
import { simpleSession, unsupportedUnless } from './util.js';

/**
 * Paradox through its ONNX frontend: the very model onnxruntime runs (weights as initializers),
 * imported by `@paradox/onnx` and compiled once by `onnxSession` on 'js'. Against the
 * `Paradox jit (js)` row it shows what the import costs; against onnxruntime, the same model.
 */
export function paradoxOnnx(): Contender {
  let onnx: typeof import('@paradox/onnx');
  let tracer: any;
  return {
    id: 'paradox-onnx-js',
    label: 'Paradox via @paradox/onnx (js)',
    group: 'paradox',
    threads: 1,
    async load() {
      tracer = (await loadParadox()).tracer;
      onnx = await import('@paradox/onnx');
    },
    unsupported: unsupportedUnless(['W1', 'W2', 'W3', 'W4a', 'W4b', 'W7'], 'no ONNX model for this workload'),
    async setup(w: Workload, inputs: Float32Array[]): Promise<Session> {
      const session = onnx.onnxSession(modelFor(w, inputs), { backend: 'js' });
      const shape = w.inputs[0]!.shape;
      return simpleSession({
        inputs,
        upload: (arrays) => tracer.tensor(arrays[0], shape, 'float32'),
        async compute(x) {
          const out = await session.run({ x });
          return (await out.y!.data()) as Float32Array;
        },
        free: (x) => x.dispose(),
      });
    },
  };
}
