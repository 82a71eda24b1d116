import { checkAgainstReference } from '@paradox/backend-conformance';
import { parseGraph } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { expect, it } from 'vitest';
import { toyBackend } from '../src/index.js';

// Lowering folds this iota's index to a constant -0; an index is an int32 value, so the result is +0
// (fuzz replay 1373472866).
it('an index expression is an int32 value, never -0', async () => {
  const graph = parseGraph(`graph @f() {
  %0: f32[1,4] = iota {shape=[1,4], axis=0, dtype="float32"}
  %1: f32[1,6] = pad %0 {pads=[[0,0],[1,1]], value=inf}
  return %1
}`);
  const program = lowerGraph(graph);
  const exe = await toyBackend.compile(program);
  const [out] = await exe.run([]);
  expect(Array.from(toyBackend.download(out!) as Float32Array).map((v) => Object.is(v, -0))).toEqual(
    Array(6).fill(false),
  );
  await checkAgainstReference(toyBackend, exe, graph, program, [], {
    tolerance: { rtol: 0, atol: 0 },
    zeroSign: true,
  });
  exe.dispose();
});
