import '@paradox/backend-js';
import { registerPass, registerPassOutputFormatter } from '@paradox/pass-manager';
import { type Tensor, tensor } from '@paradox/tracer';
import { expect, it } from 'vitest';
import { jit } from '../src/index.js';

// A third-party pass reporting through the generic pass-output mechanism: jit shows its output and
// text without knowing its type, as it does for the fusion report.
declare module '@paradox/pass-manager' {
  interface PassOutputs {
    opCensus: Record<string, number>;
  }
}

registerPass({
  name: 'op-census',
  run(graph, ctx) {
    const census: Record<string, number> = {};
    for (const n of graph.nodes) census[n.op] = (census[n.op] ?? 0) + 1;
    ctx.outputs.opCensus = census;
    return { graph, changed: false };
  },
});
registerPassOutputFormatter('opCensus', (census) =>
  Object.entries(census)
    .map(([op, count]) => `${op} x${count}`)
    .join(', '),
);

it('inspect() shows every pass output and its registered text form', () => {
  const f = jit((x: Tensor) => x.add(1).mul(x).add(2), { pipeline: 'op-census,fusion' });
  expect(Array.from(f(tensor([1, 2])).dataSync())).toEqual([4, 8]);
  const info = f.inspect();
  expect(info.outputs.opCensus).toEqual({ constant: 2, broadcast: 2, add: 2, mul: 1 });
  expect(info.outputTexts.opCensus).toBe('constant x2, broadcast x2, add x2, mul x1');
  expect(info.outputTexts.fusionReport).toMatch(/fusion: 1 kernel/);
  expect(info.fusionReportText).toBe(info.outputTexts.fusionReport);
});
