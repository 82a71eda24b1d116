import { describe, expect, it } from 'vitest';
import { layerNormLoop, softmaxLoop, w1Loop, w1LoopTuned } from '../src/contenders/js-fused.js';
import { matmulIKJ, mlpNaive } from '../src/contenders/js-matmul.js';
import { uniform } from '../src/rng.js';
import { compare } from '../src/stats.js';
import type { ChainOp } from '../src/types.js';
import { compileFusedChain, evalChain64, makeChain } from '../src/workloads/chain.js';
import { cnnReference } from '../src/workloads/cnn.js';
import { w1Scalar } from '../src/workloads/elementwise.js';
import { allWorkloads } from '../src/workloads/index.js';
import { mlpReference } from '../src/workloads/mlp.js';
import { layerNormReference, softmaxReference } from '../src/workloads/normalize.js';
import { mlpLossGradients } from '../src/workloads/train-step.js';

describe('workload references (hand-computed)', () => {
  it('W1 scalar', () => {
    expect(w1Scalar(0)).toBe(0); // relu(1) * 0.5 - 0.5
    expect(w1Scalar(-1)).toBe(-0.5); // relu(-1) = 0
    expect(w1Scalar(1)).toBeCloseTo(3 / (1 + Math.exp(-1)) - 0.5, 12);
  });

  it('softmax and layerNorm references', () => {
    const sm = softmaxReference([0, Math.log(3)], 1, 2);
    expect(sm[0]).toBeCloseTo(0.25, 12);
    expect(sm[1]).toBeCloseTo(0.75, 12);
    const ln = layerNormReference([1, 3], 1, 2, 0); // mean 2, var 1
    expect([...ln]).toEqual([-1, 1]);
  });

  it('CNN reference on a 4x4 image: identity conv, pooling, an all-ones conv with bias, dense', () => {
    const f = (a: number[]) => new Float32Array(a);
    // conv1 = the centre tap (x itself), relu, pool -> 2x2 ones; conv2 = 3x3 ones with pad 1 sees all
    // four ones from every position: 4 - 1 = 3, relu, pool -> 3; dense 3 * 2 + 0.5.
    const inputs = [
      f(Array(16).fill(1)),
      f([0, 0, 0, 0, 1, 0, 0, 0, 0]),
      f([0]),
      f(Array(9).fill(1)),
      f([-1]),
      f([2]),
      f([0.5]),
    ];
    expect([...cnnReference(inputs, { batch: 1, size: 4, c1: 1, c2: 1, outDim: 1 })]).toEqual([6.5]);
  });

  it('MLP reference on a 1x2 -> 2 -> 2 network', () => {
    const f = (a: number[]) => new Float32Array(a);
    const out = mlpReference([f([1, 2]), f([1, 0, 0, -1]), f([0, 1]), f([Math.log(3), 0, 5, 5]), f([0, 0])], {
      batch: 1,
      inDim: 2,
      hidden: 2,
      outDim: 2,
    });
    expect(out[0]).toBeCloseTo(0.75, 6);
    expect(out[1]).toBeCloseTo(0.25, 6);
  });

  it('chain: deterministic, bounded, a tanh/sigmoid at least every fourth op', () => {
    const a = makeChain(1000, 7);
    expect(makeChain(1000, 7)).toEqual(a);
    expect(makeChain(1000, 8)).not.toEqual(a);
    let run = 0;
    for (const op of a) {
      run = op.op === 'tanh' || op.op === 'sigmoid' ? 0 : run + 1;
      expect(run).toBeLessThanOrEqual(3);
      if ('c' in op) expect(Math.fround(op.c)).toBe(op.c);
    }
    const y = evalChain64(a, [-100, 0, 100]);
    for (const v of y) expect(Math.abs(v)).toBeLessThan(10);
  });

  it('chain evaluation by hand', () => {
    const ops: ChainOp[] = [
      { op: 'mul', c: 2 },
      { op: 'sub', c: 3 },
      { op: 'relu' },
      { op: 'neg' },
      { op: 'abs' },
      { op: 'sigmoid' },
    ];
    // x=2: 4-3=1 -> 1 -> -1 -> 1 -> sigmoid(1); x=1: -1 -> 0 -> 0 -> 0 -> 0.5
    const y = evalChain64(ops, [2, 1]);
    expect(y[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(y[1]).toBe(0.5);
  });
});

describe('hand-written contenders agree with the references', () => {
  it('fused W1 loop', () => {
    const x = uniform(1000, -4, 4, 1);
    const out = new Float32Array(1000);
    w1Loop(x, out);
    expect(compare(out, Array.from(x, w1Scalar), { atol: 1e-6, rtol: 1e-6 }).ok).toBe(true);
    const tuned = new Float32Array(1000);
    w1LoopTuned(x, tuned);
    expect(compare(tuned, Array.from(x, w1Scalar), { atol: 1e-6, rtol: 1e-6 }).ok).toBe(true);
  });

  it('generated straight-line chain loop (W3/W5 reference) in float32', () => {
    const ops = makeChain(200, 3);
    const x = uniform(16, -2, 2, 31);
    const out = new Float32Array(16);
    compileFusedChain(ops)(x, out);
    expect(compare(out, evalChain64(ops, x), { atol: 1e-5, rtol: 1e-5 }).ok).toBe(true);
  });

  it('softmax and layerNorm loops', () => {
    const x = uniform(8 * 33, -4, 4, 2);
    const out = new Float32Array(x.length);
    softmaxLoop(x, out, 8, 33);
    expect(compare(out, softmaxReference(x, 8, 33), { atol: 1e-7, rtol: 1e-5 }).ok).toBe(true);
    layerNormLoop(x, out, 8, 33);
    expect(compare(out, layerNormReference(x, 8, 33), { atol: 1e-5, rtol: 1e-5 }).ok).toBe(true);
  });

  it('naive i-k-j matmul by hand and the whole MLP', () => {
    const c = new Float32Array(4);
    matmulIKJ(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2);
    expect([...c]).toEqual([19, 22, 43, 50]);
    const dims = { batch: 3, inDim: 5, hidden: 4, outDim: 2 };
    const inputs = [
      uniform(15, 0, 1, 1),
      uniform(20, -1, 1, 2),
      uniform(4, -1, 1, 3),
      uniform(8, -1, 1, 4),
      uniform(2, -1, 1, 5),
    ];
    const out = new Float32Array(6);
    mlpNaive(inputs, new Float32Array(12), out, 3, 5, 4, 2);
    expect(compare(out, mlpReference(inputs, dims), { atol: 1e-6, rtol: 1e-5 }).ok).toBe(true);
  });

  it('every workload declares consistent shapes and a reference of the output size', () => {
    for (const w of allWorkloads()) {
      if (w.id === 'W2' || w.id === 'W1') continue; // large references are exercised by the bench itself
      const inputs = w.makeInputs();
      for (const [i, a] of inputs.entries())
        expect(a.length).toBe(w.inputs[i]!.shape.reduce((p, d) => p * d, 1));
      expect(w.reference(inputs).length).toBe(w.outputShape.reduce((p, d) => p * d, 1));
    }
  });
});

describe('W6 reference', () => {
  it('backpropagation agrees with central finite differences of the float64 loss', () => {
    const dims = { batch: 3, inDim: 4, hidden: 5, outDim: 3 };
    const x = uniform(12, -1, 1, 1);
    const y = new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    const params = [
      uniform(20, -1, 1, 2),
      uniform(5, -0.5, 0.5, 3),
      uniform(15, -1, 1, 4),
      uniform(3, -0.1, 0.1, 5),
    ].map((p) => Float64Array.from(p));
    const { grads } = mlpLossGradients(x, y, params, dims);
    const h = 1e-6;
    params.forEach((p, i) => {
      for (let e = 0; e < p.length; e++) {
        const keep = p[e]!;
        p[e] = keep + h;
        const up = mlpLossGradients(x, y, params, dims).loss;
        p[e] = keep - h;
        const down = mlpLossGradients(x, y, params, dims).loss;
        p[e] = keep;
        expect(grads[i]![e]).toBeCloseTo((up - down) / (2 * h), 6);
      }
    });
  });

  it('the loss is the mean cross-entropy (uniform logits: log of the class count)', () => {
    const dims = { batch: 2, inDim: 1, hidden: 1, outDim: 4 };
    const zeros = (n: number) => new Float64Array(n);
    const { loss } = mlpLossGradients(
      [1, 2],
      [1, 0, 0, 0, 0, 0, 1, 0],
      [zeros(1), zeros(1), zeros(4), zeros(4)],
      dims,
    );
    expect(loss).toBeCloseTo(Math.log(4), 12);
  });
});
