import { OnnxModelBuilder } from '@paradox/onnx';
import type { ChainOp } from '../types.js';
import { CNN } from '../workloads/cnn.js';
import { MLP } from '../workloads/mlp.js';
import { LN_EPS } from '../workloads/normalize.js';

/** W1: relu(x*2+1)*sigmoid(x)-0.5. */
export function elementwiseModel(n: number): Uint8Array {
  const b = new OnnxModelBuilder('w1');
  const x = b.input('x', [n]);
  const a = b.op('Relu', [b.op('Add', [b.op('Mul', [x, b.constant(2)]), b.constant(1)])]);
  const m = b.op('Mul', [a, b.op('Sigmoid', [x])]);
  b.op('Sub', [m, b.constant(0.5)], {}, 'y');
  b.output('y', [n]);
  return b.build();
}

/** W2: softmax(relu(x @ w1 + b1) @ w2 + b2); weights are initializers (how models ship). */
export function mlpModel(
  w1: Float32Array,
  b1: Float32Array,
  w2: Float32Array,
  b2: Float32Array,
  batch: number = MLP.batch,
): Uint8Array {
  const { inDim, hidden, outDim } = { inDim: w1.length / b1.length, hidden: b1.length, outDim: b2.length };
  const b = new OnnxModelBuilder('w2');
  const x = b.input('x', [batch, inDim]);
  const h = b.op('Relu', [
    b.op('Add', [b.op('MatMul', [x, b.constant(w1, [inDim, hidden])]), b.constant(b1, [hidden])]),
  ]);
  const logits = b.op('Add', [
    b.op('MatMul', [h, b.constant(w2, [hidden, outDim])]),
    b.constant(b2, [outDim]),
  ]);
  b.op('Softmax', [logits], { axis: -1 }, 'y');
  b.output('y', [batch, outDim]);
  return b.build();
}

const UNARY: Record<string, string> = {
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  relu: 'Relu',
  neg: 'Neg',
  abs: 'Abs',
};
const BINARY: Record<string, string> = { mul: 'Mul', add: 'Add', sub: 'Sub' };

/** W3/W5: the op chain; each constant is a rank-0 initializer. */
export function chainModel(ops: readonly ChainOp[], n: number): Uint8Array {
  const b = new OnnxModelBuilder('chain');
  let v = b.input('x', [n]);
  ops.forEach((op, i) => {
    const out = i === ops.length - 1 ? 'y' : b.fresh();
    v = 'c' in op ? b.op(BINARY[op.op]!, [v, b.constant(op.c)], {}, out) : b.op(UNARY[op.op]!, [v], {}, out);
  });
  b.output('y', [n]);
  return b.build();
}

/** W4a: Softmax over the last axis (opset 13+ semantics: per axis, not flattened). */
export function softmaxModel(rows: number, cols: number): Uint8Array {
  const b = new OnnxModelBuilder('w4a');
  b.op('Softmax', [b.input('x', [rows, cols])], { axis: -1 }, 'y');
  b.output('y', [rows, cols]);
  return b.build();
}

/** W4b: LayerNormalization (opset 17) with scale 1 and bias 0. */
export function layerNormModel(rows: number, cols: number, eps = LN_EPS): Uint8Array {
  const b = new OnnxModelBuilder('w4b');
  const x = b.input('x', [rows, cols]);
  const scale = b.constant(new Float32Array(cols).fill(1), [cols]);
  const bias = b.constant(new Float32Array(cols), [cols]);
  b.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { float: eps } }, 'y');
  b.output('y', [rows, cols]);
  return b.build();
}

/** W7: conv3x3(pad 1)+bias, relu, maxpool 2x2, twice, flatten, dense; weights are initializers. */
export function cnnModel([, w1, b1, w2, b2, w3, b3]: Float32Array[], d = CNN): Uint8Array {
  const b = new OnnxModelBuilder('w7');
  const flat = (d.c2 * d.size * d.size) / 16;
  const block = (x: string, w: Float32Array, bias: Float32Array, cin: number, cout: number) => {
    const conv = b.op('Conv', [x, b.constant(w, [cout, cin, 3, 3]), b.constant(bias, [cout])], {
      kernel_shape: [3, 3],
      pads: [1, 1, 1, 1],
    });
    return b.op('MaxPool', [b.op('Relu', [conv])], { kernel_shape: [2, 2], strides: [2, 2] });
  };
  const h1 = block(b.input('x', [d.batch, 1, d.size, d.size]), w1!, b1!, 1, d.c1);
  const h2 = block(h1, w2!, b2!, d.c1, d.c2);
  const dense = b.op('MatMul', [b.op('Flatten', [h2], { axis: 1 }), b.constant(w3!, [flat, d.outDim])]);
  b.op('Add', [dense, b.constant(b3!, [d.outDim])], {}, 'y');
  b.output('y', [d.batch, d.outDim]);
  return b.build();
}
