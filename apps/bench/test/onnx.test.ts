import '@paradox/backend-js';
import { decodeOnnxModel, OnnxModelBuilder, onnxSession } from '@paradox/onnx';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { chainModel, elementwiseModel, layerNormModel, mlpModel, softmaxModel } from '../src/onnx/models.js';

async function run(model: Uint8Array, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, shape) });
    return out.y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const expectClose = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  for (const [i, w] of want.entries()) expect(got[i]).toBeCloseTo(w, digits);
};

describe('ONNX model builder (run in onnxruntime-node against hand-computed results)', () => {
  it('encodes what it was given: opset, nodes, attributes, raw float initializers', () => {
    const b = new OnnxModelBuilder('t');
    const x = b.input('x', [2]);
    b.op('Softmax', [b.op('Mul', [x, b.constant(new Float32Array([2, 3]), [2])])], { axis: -1 }, 'y');
    b.output('y', [2]);
    const m = decodeOnnxModel(b.build());
    expect(m.ir_version).toBe(8);
    expect(m.opset_import).toHaveLength(1);
    expect(m.opset_import[0]).toMatchObject({ version: 17 });
    expect(m.opset_import[0].domain ?? '').toBe('');
    expect(m.graph.node.map((n: any) => n.op_type)).toEqual(['Mul', 'Softmax']);
    expect(m.graph.node[1].attribute).toEqual([{ name: 'axis', i: -1, type: 2 }]);
    const init = m.graph.initializer[0];
    expect(init.dims).toEqual([2]);
    expect(new Float32Array(new Uint8Array(init.raw_data).buffer)).toEqual(new Float32Array([2, 3]));
    expect(m.graph.input[0].type.tensor_type.shape.dim).toEqual([{ dim_value: 2 }]);
  });

  it('rejects a constant whose values do not fill its shape, and non-integer int attributes', () => {
    const b = new OnnxModelBuilder();
    expect(() => b.constant(new Float32Array(3), [2, 2])).toThrow(/3 values for shape \[2,2\]/);
    expect(() => b.op('Softmax', ['x'], { axis: 0.5 })).toThrow(/not an integer/);
  });

  it('relu(2x+1) with scalar initializers', async () => {
    const b = new OnnxModelBuilder();
    const x = b.input('x', [4]);
    b.op('Relu', [b.op('Add', [b.op('Mul', [x, b.constant(2)]), b.constant(1)])], {}, 'y');
    b.output('y', [4]);
    // 2*-1+1 = -1 -> 0; 2*0+1 = 1; 2*1+1 = 3; 2*-0.25+1 = 0.5
    expectClose(await run(b.build(), new Float32Array([-1, 0, 1, -0.25]), [4]), [0, 1, 3, 0.5]);
  });

  it('W1 model: relu(x*2+1)*sigmoid(x)-0.5', async () => {
    // x=0: 1*0.5-0.5 = 0; x=-1: relu(-1)=0 -> -0.5; x=2: 5*sigmoid(2)-0.5 = 5/(1+e^-2)-0.5
    const want = [0, -0.5, 5 / (1 + Math.exp(-2)) - 0.5];
    expectClose(await run(elementwiseModel(3), new Float32Array([0, -1, 2]), [3]), want);
  });

  it('W2 model: softmax(relu(x@w1+b1)@w2+b2) on a 1x2 -> 2 -> 2 network', async () => {
    // x=[1,2]; w1=[[1,0],[0,-1]] -> [1,-2]; +b1 [0,1] -> [1,-1]; relu -> [1,0]
    // w2=[[ln3,0],[5,5]] -> [ln3,0]; +b2 0 -> softmax([ln3,0]) = [3/4, 1/4]
    const model = mlpModel(
      new Float32Array([1, 0, 0, -1]),
      new Float32Array([0, 1]),
      new Float32Array([Math.log(3), 0, 5, 5]),
      new Float32Array([0, 0]),
      1,
    );
    expectClose(await run(model, new Float32Array([1, 2]), [1, 2]), [0.75, 0.25]);
  });

  it('chain model: ((x*0.5)+1) -> neg -> abs -> tanh', async () => {
    const ops = [
      { op: 'mul', c: 0.5 },
      { op: 'add', c: 1 },
      { op: 'neg' },
      { op: 'abs' },
      { op: 'tanh' },
    ] as const;
    // x=2: 1+1=2 -> -2 -> 2 -> tanh 2; x=-4: -2+1=-1 -> 1 -> 1 -> tanh 1
    expectClose(await run(chainModel([...ops], 2), new Float32Array([2, -4]), [2]), [
      Math.tanh(2),
      Math.tanh(1),
    ]);
  });

  it('softmax model over the last axis', async () => {
    // rows [0, ln2] -> [1/3, 2/3]; [5, 5] -> [1/2, 1/2]
    expectClose(await run(softmaxModel(2, 2), new Float32Array([0, Math.log(2), 5, 5]), [2, 2]), [
      1 / 3,
      2 / 3,
      0.5,
      0.5,
    ]);
  });

  it('layerNorm model: (x-mean)/sqrt(var+eps) per row', async () => {
    // [1,2,3]: mean 2, var 2/3 -> [-1,0,1]/sqrt(2/3+1e-5)
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    expectClose(await run(layerNormModel(1, 3), new Float32Array([1, 2, 3]), [1, 3]), [-s, 0, s]);
  });

  it('every bench model gives the same values in @paradox/onnx (js) as in onnxruntime-node', async () => {
    const x = new Float32Array(24).map((_, i) => Math.sin(i) * 3);
    const cases: [Uint8Array, number[]][] = [
      [elementwiseModel(24), [24]],
      [softmaxModel(4, 6), [4, 6]],
      [layerNormModel(4, 6), [4, 6]],
      [chainModel([{ op: 'mul', c: 0.5 }, { op: 'add', c: 1 }, { op: 'tanh' }], 24), [24]],
    ];
    for (const [model, shape] of cases) {
      const want = await run(model, x, shape);
      const out = await onnxSession(model, { backend: 'js' }).run({ x: { data: x, dims: shape } });
      const got = await out.y!.data();
      for (const [i, w] of want.entries())
        expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(w));
    }
  });
});
