import { type Graph, interpret } from '@paradox/ir';
import { randomInputs } from '@paradox/ir/testing';
import { evaluateProgram, lowerGraph } from '@paradox/pass-lower';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { type FusionReport, fusionPass } from '../src/index.js';
import { G } from './build.js';
import { expectClose } from './expect-close.js';

/** Windowed ops (conv, pools, cumsum) take their elementwise epilogue into their own kernel. */
function compile(graph: Graph) {
  const ctx: PassContext = { options: {}, logger: silentLogger, outputs: {} };
  const fused = fusionPass.run(graph, ctx).graph;
  const program = lowerGraph(fused);
  const inputs = randomInputs(graph, 3, false);
  expectClose(evaluateProgram(program, inputs), interpret(graph, inputs));
  return { program, report: ctx.outputs.fusionReport as FusionReport };
}

const window2 = { strides: [1, 1], dilations: [1, 1], pads: 'same_upper' };

function convBiasRelu(g: G): string {
  const x = g.in('x', [2, 3, 9, 9]);
  const w = g.in('w', [4, 3, 3, 3]);
  const b = g.in('b', [4]);
  const y = g.b.op('conv', [x, w], { ...window2, groups: 1 });
  const bias = g.bcast(g.b.op('reshape', [b], { shape: [4, 1, 1] }), [2, 4, 9, 9]);
  return g.un('relu', g.bin('add', y, bias));
}

describe('windowed ops fuse with their epilogue', () => {
  it('conv + bias add + relu is one kernel, a reduction over (channel, kernel window)', () => {
    const g = new G();
    const { program, report } = compile(g.out(convBiasRelu(g)));
    expect(program.kernels).toHaveLength(1);
    const k = program.kernels[0]!;
    expect(k.domain).toEqual([2, 4, 9, 9]);
    expect(k.reduce?.shape).toEqual([3, 3, 3]);
    // no im2col buffer: the kernel reads x, w and b and writes the result, nothing else
    expect(program.buffers.filter((b) => b.kind === 'temp')).toEqual([]);
    // the padding is a guarded load of x
    expect(k.exprs.some((e) => e.op === 'load' && e.guard !== undefined)).toBe(true);
    expect(report.kernels[0]!.kind).toBe('contraction');
  });

  it('conv-relu-maxPool: the pool reads the stored conv, with the reason in the report', () => {
    const g = new G();
    const pooled = g.b.op('maxPool', [convBiasRelu(g)], {
      kernel: [2, 2],
      strides: [2, 2],
      dilations: [1, 1],
      pads: 'valid',
      ceilMode: false,
    });
    const { program, report } = compile(g.out(pooled));
    expect(program.kernels).toHaveLength(2);
    expect(report.decisions.filter((d) => !d.fused).map((d) => d.reason)).toEqual([
      expect.stringContaining('maxPool operands are read as views of a buffer'),
    ]);
  });

  it('avgPool * 2 and cumsum + 1 take their epilogue', () => {
    const g = new G();
    const x = g.in('x', [1, 2, 6, 5]);
    const pooled = g.b.op('avgPool', [x], {
      kernel: [3, 2],
      strides: [2, 1],
      dilations: [1, 1],
      pads: [
        [1, 1],
        [0, 1],
      ],
      ceilMode: true,
      countIncludePad: false,
    });
    const summed = g.b.op('cumsum', [x], { axis: 3, exclusive: true, reverse: true });
    const { program } = compile(
      g.out(g.bin('mul', pooled, g.scalar(2, pooled)), g.bin('add', summed, g.scalar(1, summed))),
    );
    expect(program.kernels).toHaveLength(2);
  });
});
