import '@paradox/backend-js';
import '@paradox/jit';
import { interpret } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import {
  loadOnnx,
  OnnxDTypeError,
  OnnxExternalDataError,
  OnnxModelError,
  OnnxStaticValueError,
  OnnxUnsupportedOpError,
  onnxSession,
} from '../src/index.js';
import { encodeModel, FLOAT, INT64, node, valueInfo } from './model-bytes.js';

// y = relu(reshape(x, [2,3]) + b), the shape coming from an int64 initializer.
const reluModel = encodeModel({
  name: 'g',
  node: [node('Reshape', ['x', 'shape'], ['r']), node('Add', ['r', 'b'], ['s']), node('Relu', ['s'], ['y'])],
  initializer: [
    { name: 'shape', dims: [2], data_type: INT64, int64_data: [2, -1] },
    { name: 'b', dims: [3], data_type: FLOAT, float_data: [1, -10, 0.5] },
  ],
  input: [valueInfo('x', [6])],
  output: [valueInfo('y', [2, 3])],
});

describe('loadOnnx', () => {
  it('imports a model as a graph with named inputs and the initializers as constants', () => {
    const model = loadOnnx(reluModel);
    expect(model.inputs.map((i) => i.name)).toEqual(['x']);
    expect(model.outputs.map((o) => [o.name, o.type.shape])).toEqual([['y', [2, 3]]]);
    expect(model.graph.inputs.map((i) => i.id)).toEqual(['x']);
    expect(model.graph.constants).toHaveLength(1); // b; the shape folded at import
    const [y] = interpret(model.graph, [new Float32Array([1, 2, 3, -4, 5, 6])]);
    expect(Array.from(y!.data)).toEqual([2, 0, 3.5, 0, 0, 6.5]);
  });

  it('keeps initializers as inputs by option', () => {
    const model = loadOnnx(reluModel, { initializersAsInputs: true });
    expect(model.inputs.map((i) => i.name)).toEqual(['x', 'b']);
    const [y] = interpret(model.graph, [new Float32Array([1, 2, 3, -4, 5, 6]), new Float32Array([0, 0, 0])]);
    expect(Array.from(y!.data)).toEqual([1, 2, 3, 0, 5, 6]);
  });

  it('runs jitted through onnxSession', async () => {
    const s = onnxSession(reluModel, { backend: 'js' });
    const out = await s.run({ x: { data: [1, 2, 3, -4, 5, 6], dims: [6] } });
    expect(Array.from(await out.y!.data())).toEqual([2, 0, 3.5, 0, 0, 6.5]);
  });

  it('names the op type, node and opset of an unsupported op', () => {
    const bytes = encodeModel(
      {
        name: 'g',
        node: [node('Det', ['x'], ['y'], [], 'my_det')],
        input: [valueInfo('x', [2, 2])],
        output: [valueInfo('y', [])],
      },
      13,
    );
    const err = (() => {
      try {
        loadOnnx(bytes);
      } catch (e) {
        return e;
      }
    })() as OnnxUnsupportedOpError;
    expect(err).toBeInstanceOf(OnnxUnsupportedOpError);
    expect([err.opType, err.nodeName, err.opset]).toEqual(['Det', 'my_det', 13]);
    expect(err.message).toContain("Det (opset 13) at node 'my_det'");
  });

  it('refuses external data, malformed bytes and int64 values beyond int32', () => {
    const external = encodeModel({
      name: 'g',
      node: [node('Add', ['x', 'w'], ['y'])],
      initializer: [{ name: 'w', dims: [1], data_type: FLOAT, data_location: 1 }],
      input: [valueInfo('x', [1])],
      output: [valueInfo('y', [1])],
    });
    expect(() => loadOnnx(external)).toThrow(OnnxExternalDataError);
    expect(() => loadOnnx(new Uint8Array([0x0a, 0xff, 0xff, 0xff]))).toThrow(OnnxModelError);
    const big = encodeModel({
      name: 'g',
      node: [node('Add', ['x', 'w'], ['y'])],
      initializer: [{ name: 'w', dims: [1], data_type: INT64, int64_data: [3000000000] }],
      input: [valueInfo('x', [1], INT64)],
      output: [valueInfo('y', [1], INT64)],
    });
    expect(() => loadOnnx(big)).toThrow(/element 0 is 3000000000, which does not fit int32/);
    expect(() => loadOnnx(big)).toThrow(OnnxDTypeError);
  });

  it('asks for a shape operand given as an input, and takes it as a static input', () => {
    const bytes = encodeModel({
      name: 'g',
      node: [node('Reshape', ['x', 'shape'], ['y'])],
      input: [valueInfo('x', [6]), valueInfo('shape', [2], INT64)],
      output: [valueInfo('y', [3, 2])],
    });
    expect(() => loadOnnx(bytes)).toThrow(OnnxStaticValueError);
    const model = loadOnnx(bytes, { staticInputs: { shape: [3, 2] } });
    expect(model.inputs.map((i) => i.name)).toEqual(['x']);
    expect(model.outputs[0]!.type.shape).toEqual([3, 2]);
  });

  it('keeps model names out of generated code', async () => {
    const bytes = encodeModel({
      name: 'SECRET_graph',
      node: [node('Mul', ['SECRET_x', 'SECRET_w'], ['SECRET_y'], [], 'SECRET_node')],
      initializer: [{ name: 'SECRET_w', dims: [2], data_type: FLOAT, float_data: [3, -1] }],
      input: [valueInfo('SECRET_x', [2])],
      output: [valueInfo('SECRET_y', [2])],
    });
    const s = onnxSession(bytes, { backend: 'js' });
    const out = await s.run({ SECRET_x: { data: [2, 5], dims: [2] } });
    expect(Array.from(await out.SECRET_y!.data())).toEqual([6, -5]);
    const sources = s.compiled.inspect().sources;
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src).not.toContain('SECRET');
  });
});
