import { interpret, parseGraph } from '@paradox/ir';
import { evaluateProgram, lowerGraph } from '@paradox/pass-lower';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { type FusionReport, formatFusionReport, fusionPass } from '../src/index.js';

describe('values read through views outside their kernels', () => {
  it('stores a value that a stored matmul operand pad reads through another pad', () => {
    // Regression (fuzz differential, seed 650458254): %0 was inlined into the kernel of %2 while
    // the stored pad %6 read it through the pad %5, so lowering found %0 stored by a kernel of a
    // different size ("8 elements match neither the kernel domain [2,2]").
    const graph = parseGraph(`graph @g(%x1: f32[6]) {
  %0: f32[2,2] = iota {shape=[2,2], axis=1, dtype="float32"}
  %2: f32[4,2] = pad %0 {pads=[[1,1],[0,0]], value=inf}
  %5: f32[2,4] = pad %0 {pads=[[0,0],[1,1]], value=-0}
  %6: f32[2,6] = pad %5 {pads=[[0,0],[1,1]], value=inf}
  %7: f32[2] = matmul %6, %x1
  return %7, %2
}`);
    const ctx: PassContext = { options: {}, logger: silentLogger, outputs: {} };
    const fused = fusionPass.run(graph, ctx).graph;
    const x1 = { dtype: 'float32' as const, shape: [6], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const got = evaluateProgram(lowerGraph(fused), [x1]);
    const want = interpret(graph, [x1.data]);
    expect(got.map((t) => Array.from(t.data))).toEqual(want.map((t) => Array.from(t.data)));
    expect(formatFusionReport(ctx.outputs.fusionReport as FusionReport)).toMatch(
      /%0 .*read through a view by the kernel of %6/,
    );
  });
});
