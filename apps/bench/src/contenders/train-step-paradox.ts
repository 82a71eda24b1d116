import type { Session } from '../types.js';
import { ADAM } from '../workloads/train-step.js';
import { jitOptions } from './paradox.js';

type Tensors = any[];

/** W6's loss as a Paradox user writes it: mean softmax cross-entropy of the W2 MLP. */
const loss = (p: any, x: any, y: any) =>
  x.matmul(p.w1).add(p.b1).relu().matmul(p.w2).add(p.b2).logSoftmax().mul(y).sum(1).mean().neg();

/**
 * W6 on Paradox: `trainStep(loss, adam)` from @paradox/optim, one compiled program for forward,
 * backward and update, with parameters and Adam state donated (updated in place). `upload` makes
 * the 14 inputs plus the step count (a float32 scalar) on the row's backend; `before` runs before
 * every step (the c rows set their thread count).
 */
export async function paradoxTrainSession(
  backend: string,
  inputs: Float32Array[],
  upload: (arrays: Float32Array[], shapes: number[][]) => Tensors,
  shapes: number[][],
  before: () => void = () => {},
): Promise<Session> {
  const { adam, trainStep } = (await import('@paradox/optim')) as any;
  const opt = adam({ learningRate: ADAM.lr, beta1: ADAM.beta1, beta2: ADAM.beta2, epsilon: ADAM.eps });
  const step = trainStep(loss, opt, jitOptions(backend));
  const bind = (arrays: Float32Array[]) => {
    const t = upload([...arrays, new Float32Array(1)], [...shapes, []]);
    const [x, y, w1, b1, w2, b2, mw1, mb1, mw2, mb2, vw1, vb1, vw2, vb2, count] = t;
    return {
      x,
      y,
      params: { w1, b1, w2, b2 },
      state: {
        count,
        mu: { w1: mw1, b1: mb1, w2: mw2, b2: mb2 },
        nu: { w1: vw1, b1: vb1, w2: vw2, b2: vb2 },
      },
    };
  };
  type Bound = ReturnType<typeof bind>;
  const run = (b: Bound) => {
    before();
    const [l, params, state] = step(b.params, b.state, b.x, b.y);
    b.params = params;
    b.state = state;
    l.dataSync(); // a training loop reads its loss: the step has finished
    l.dispose();
  };
  const disposeAll = (b: Bound | undefined) => {
    if (!b) return;
    for (const t of [
      b.x,
      b.y,
      ...Object.values(b.params),
      b.state.count,
      ...Object.values(b.state.mu),
      ...Object.values(b.state.nu),
    ])
      (t as any).dispose();
  };
  const bound = bind(inputs);
  let last: Bound = bound;
  let fresh: Bound | undefined;
  return {
    run() {
      run(bound);
      last = bound;
    },
    result() {
      const parts = ['w1', 'b1', 'w2', 'b2'].map((k) => (last.params as any)[k].dataSync() as Float32Array);
      const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
    runFresh(arrays) {
      disposeAll(fresh);
      fresh = bind(arrays);
      run(fresh);
      last = fresh;
    },
    note() {
      const info = step.inspect();
      const report = info.fusionReport;
      const moved = report ? report.totalBytesRead + report.totalBytesWritten : undefined;
      return `${info.kernelCount} kernels${moved !== undefined ? `, ${(moved / 2 ** 20).toFixed(1)} MiB moved (fusion report)` : ''}`;
    },
    dispose() {
      disposeAll(bound);
      disposeAll(fresh);
    },
  };
}
