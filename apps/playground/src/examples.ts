/** The example gallery: each entry is the editor text (a JS function body) and its input shapes. */
export interface Example {
  readonly id: string;
  readonly title: string;
  /** Input shapes, in argument order, as the shapes field writes them (`64x256, 256`). */
  readonly shapes: string;
  readonly code: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'w1',
    title: 'W1 chain',
    shapes: '4096',
    code: `// An elementwise chain: six ops become one fused kernel.
// The body returns the function to trace; its arguments are the inputs below.
return (x) => x.mul(2).add(1).relu().mul(x.sigmoid()).sub(0.5);
`,
  },
  {
    id: 'mlp',
    title: 'MLP',
    shapes: '16x64, 64x32, 32, 32x8',
    code: `// Two layers: bias add and relu fuse into the matmul's epilogue.
return (x, w1, b1, w2) => x.matmul(w1).add(b1).relu().matmul(w2);
`,
  },
  {
    id: 'softmax',
    title: 'softmax',
    shapes: '8x128',
    code: `// softmax over the last axis, written out: max, exp, sum, divide.
return (x) => {
  const m = x.max(-1, true);
  const e = x.sub(m).exp();
  return e.div(e.sum(-1, true));
};
`,
  },
  {
    id: 'layernorm',
    title: 'layerNorm',
    shapes: '8x64, 64, 64',
    code: `// layerNorm with a learned scale and shift.
return (x, gamma, beta) => x.layerNorm({ gamma, beta, eps: 1e-5 });
`,
  },
  {
    id: 'attention',
    title: 'attention',
    shapes: '16x32, 16x32, 16x32',
    code: `// Single-head scaled dot-product attention.
return (q, k, v) => {
  const scores = q.matmul(k.transpose()).mul(1 / Math.sqrt(q.shape[1]));
  return scores.softmax(-1).matmul(v);
};
`,
  },
  {
    id: 'train',
    title: 'training step',
    shapes: '32x16, 32x4, 16x8, 8, 8x4',
    code: `// One training step compiled as one program: forward, backward (autodiff's valueAndGrad) and an
// SGD update of every parameter. Fusion treats the backward ops like any others.
const { valueAndGrad } = paradox;
return (x, y, w1, b1, w2) => {
  const loss = (p) => {
    const err = x.matmul(p.w1).add(p.b1).tanh().matmul(p.w2).sub(y);
    return err.mul(err).mean();
  };
  const [l, g] = valueAndGrad(loss)({ w1, b1, w2 });
  const lr = 0.1;
  return [l, w1.sub(g.w1.mul(lr)), b1.sub(g.b1.mul(lr)), w2.sub(g.w2.mul(lr))];
};
`,
  },
  {
    id: 'onnx',
    title: 'ONNX model',
    shapes: '1x1x8x8',
    code: `// A small CNN as ONNX bytes (built here with OnnxModelBuilder; a file from any exporter works the
// same), imported with loadOnnx and called like a function: conv + bias + relu fuse into one kernel.
const { OnnxModelBuilder, loadOnnx } = paradox.onnx;
const w = (n, seed) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 0.3);
const b = new OnnxModelBuilder('cnn');
const x = b.input('x', [1, 1, 8, 8]);
const conv = b.op('Conv', [x, b.constant(w(36, 1), [4, 1, 3, 3]), b.constant(w(4, 2), [4])], { pads: [1, 1, 1, 1] });
const pool = b.op('MaxPool', [b.op('Relu', [conv])], { kernel_shape: [2, 2], strides: [2, 2] });
const y = b.op('Gemm', [b.op('Flatten', [pool]), b.constant(w(640, 3), [64, 10])], {}, 'y');
b.output(y, [1, 10]);
const model = loadOnnx(b.build());
return (input) => paradox.callGraph(model.graph, [input])[0];
`,
  },
];

export const DEFAULT_EXAMPLE = EXAMPLES[0]!;

export function findExample(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
