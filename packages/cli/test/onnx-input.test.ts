import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interpret, parseGraph } from '@paradox/ir';
import { onnxMessage } from '@paradox/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_INPUT_ERROR, EXIT_OK } from '../src/index.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'paradox-opt-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** relu(x + b) over f32[3], b an initializer. */
function reluModel(): Uint8Array {
  const Model = onnxMessage('ModelProto');
  const info = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 3 }] } } },
  });
  return Model.encode(
    Model.fromObject({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [
          { op_type: 'Add', input: ['x', 'b'], output: ['s'], name: 'add' },
          { op_type: 'Relu', input: ['s'], output: ['y'], name: 'relu' },
        ],
        initializer: [{ name: 'b', dims: [3], data_type: 1, float_data: [1, -5, 0.5] }],
        input: [info('x')],
        output: [info('y')],
      },
    }),
  ).finish();
}

describe('paradox-opt on an ONNX model', () => {
  it('prints the imported graph as IR text (--emit ir)', async () => {
    const path = join(dir, 'relu.onnx');
    writeFileSync(path, reluModel());
    const { code, stdout } = await runCli([path, '--emit', 'ir']);
    expect(code).toBe(EXIT_OK);
    const graph = parseGraph(stdout);
    expect(graph.inputs.map((i) => i.id)).toEqual(['x']);
    expect(graph.nodes.map((n) => n.op)).toEqual(['add', 'relu']);
    const [y] = interpret(graph, [new Float32Array([1, 2, -3])]);
    expect(Array.from(y!.data)).toEqual([2, 0, 0]);
  });

  it('reports a malformed model as an input error', async () => {
    const path = join(dir, 'bad.onnx');
    writeFileSync(path, new Uint8Array([0x0a, 0xff, 0xff, 0xff]));
    const { code, stderr } = await runCli([path, '--emit', 'ir']);
    expect(code).toBe(EXIT_INPUT_ERROR);
    expect(stderr).toContain('OnnxModelError');
  });
});
