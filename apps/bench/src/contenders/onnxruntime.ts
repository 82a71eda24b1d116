import {
  chainModel,
  cnnModel,
  elementwiseModel,
  layerNormModel,
  mlpModel,
  softmaxModel,
} from '../onnx/models.js';
import type { Contender, Session, Workload } from '../types.js';
import { unsupportedUnless } from './util.js';

type Ort = typeof import('onnxruntime-node');

let ortPromise: Promise<Ort> | undefined;
const loadOrt = (): Promise<Ort> => {
  ortPromise ??= import('onnxruntime-node').then(
    (m) => ((m as any).InferenceSession ? m : (m as any).default) as Ort,
  );
  return ortPromise;
};

/** The ONNX model for a workload, built in code with protobufjs; W2's and W7's weights become initializers. */
export function modelFor(w: Workload, inputs: Float32Array[], ops = w.chain): Uint8Array {
  const shape = w.inputs[0]!.shape;
  switch (w.id) {
    case 'W1':
      return elementwiseModel(shape[0]!);
    case 'W2':
      return mlpModel(inputs[1]!, inputs[2]!, inputs[3]!, inputs[4]!, shape[0]!);
    case 'W3':
    case 'W5':
      return chainModel(ops!, shape[0]!);
    case 'W4a':
      return softmaxModel(shape[0]!, shape[1]!);
    case 'W4b':
      return layerNormModel(shape[0]!, shape[1]!);
    case 'W6':
      throw new Error('onnxruntime: no training step (inference only)');
    case 'W7':
      return cnnModel(inputs);
  }
}

/** onnxruntime-node's CPU execution provider with `threads` intra-op threads. */
export function onnxruntime(threads: 1 | 2): Contender {
  let ort: Ort;
  const options = () =>
    ({
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
    }) as const;
  return {
    id: `ort-${threads}t`,
    label: `onnxruntime-node ${threads} thread${threads > 1 ? 's' : ''}`,
    group: 'peer',
    threads,
    async load() {
      ort = await loadOrt();
    },
    unsupported: unsupportedUnless(['W1', 'W2', 'W3', 'W4a', 'W4b', 'W5', 'W7'], 'not implemented'),
    async setup(w, inputs): Promise<Session> {
      const session = await ort.InferenceSession.create(modelFor(w, inputs), options());
      const shape = w.inputs[0]!.shape;
      const feed = (x: Float32Array) => ({ x: new ort.Tensor('float32', x, shape) });
      const bound = feed(inputs[0]!);
      let last: Float32Array = new Float32Array(0);
      const go = (f: Record<string, import('onnxruntime-node').Tensor>) =>
        session.run(f).then((out) => {
          last = out.y!.data as Float32Array;
        });
      return {
        run: () => go(bound),
        result: () => last,
        runFresh: (fresh) => go(feed(fresh[0]!)),
        dispose: () => session.release(),
      };
    },
    /** W5: serialize the graph, create a session (ORT's graph optimizations + kernel setup), run once. */
    async compile(w, ops, x) {
      const session = await ort.InferenceSession.create(modelFor(w, [x], ops), options());
      const out = await session.run({ x: new ort.Tensor('float32', x, [x.length]) });
      const y = out.y!.data as Float32Array;
      await session.release();
      return y;
    },
  };
}
