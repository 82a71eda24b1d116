import { interpret } from '@paradox/ir';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { interpreterExecutor, setEagerExecutor, type Tensor, tensor, trace } from '../src/index.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

/** Steps that keep the running value's shape [r, c]; `a` is [r, c] and `b` is [c]. */
type Step = (cur: Tensor, a: Tensor, b: Tensor) => Tensor;
const STEPS: Record<string, Step> = {
  neg: (t) => t.neg(),
  abs: (t) => t.abs(),
  relu: (t) => t.relu(),
  tanh: (t) => t.tanh(),
  sigmoid: (t) => t.sigmoid(),
  expOfTanh: (t) => t.tanh().exp(),
  addA: (t, a) => t.add(a),
  subB: (t, _a, b) => t.sub(b),
  mulB: (t, _a, b) => t.mul(b),
  maximumA: (t, a) => t.maximum(a),
  minimumB: (t, _a, b) => t.minimum(b),
  scale: (t) => t.mul(0.5).add(1),
  whereGt: (t, a) => t.gt(0).where(t, a),
  rowSum: (t) => t.add(t.sum(-1, true)),
  colMax: (t) => t.sub(t.max(0, true)),
  softmax: (t) => t.softmax(-1),
  logSoftmax: (t) => t.logSoftmax(0),
  layerNorm: (t, _a, b) => t.layerNorm({ gamma: b }),
  gelu: (t) => t.gelu(),
  variance: (t) => t.add(t.variance(-1, true)),
  doubleTranspose: (t) => t.T.transpose(),
  flip: (t) => t.slice([-1], [null], [-1]),
  reshapeRoundTrip: (t) => t.flatten().reshape([...t.shape]),
  gram: (t) => t.matmul(t.T).matmul(t).mul(0.1),
  padSlice: (t) =>
    t
      .pad(
        t.shape.map(() => [1, 1] as [number, number]),
        2,
      )
      .slice([1, 1], [-1, -1]),
  concatSlice: (t, a) => t.concat([a], 1).slice([0], [t.shape[1]!], [1], [1]),
};

const values = (n: number) =>
  fc.array(
    fc.integer({ min: -300, max: 300 }).map((v) => v / 100),
    { minLength: n, maxLength: n },
  );

const caseArb = fc
  .record({ r: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 4 }) })
  .chain(({ r, c }) =>
    fc.record({
      r: fc.constant(r),
      c: fc.constant(c),
      a: values(r * c),
      b: values(c),
      steps: fc.array(fc.constantFrom(...Object.keys(STEPS)), { minLength: 1, maxLength: 6 }),
      reduce: fc.boolean(),
    }),
  );

it('a traced graph evaluated by the interpreter equals eager execution', () => {
  fc.assert(
    fc.property(caseArb, ({ r, c, a, b, steps, reduce }) => {
      const fn = (x: Tensor, y: Tensor): Tensor => {
        const out = steps.reduce((cur, name) => STEPS[name]!(cur, x, y), x);
        return reduce ? out.sum() : out;
      };
      const xa = tensor(a, [r, c]);
      const xb = tensor(b, [c]);
      const eager = fn(xa, xb);
      const graph = trace(fn, xa, xb);
      const [traced] = interpret(graph, [
        { dtype: 'float32', shape: [r, c], data: new Float32Array(a) },
        { dtype: 'float32', shape: [c], data: new Float32Array(b) },
      ]);
      expect(traced!.shape).toEqual([...eager.shape]);
      const want = eager.dataSync();
      traced!.data.forEach((v, i) => {
        if (Number.isNaN(want[i]!)) expect(v).toBeNaN();
        else expect(v).toBeCloseTo(want[i]!, 4);
      });
    }),
    { numRuns: 150 },
  );
});
