import { type Graph, GraphBuilder, type ValueId } from '@paradox/ir';
import { randomGraph } from '@paradox/ir/testing';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FusionReport, formatFusionReport, fusionPass, KernelBufferLimitError } from '../src/index.js';

function fuse(graph: Graph, maxBuffersPerKernel?: number) {
  const ctx: PassContext = {
    options: {},
    logger: silentLogger,
    outputs: {},
    ...(maxBuffersPerKernel
      ? { capabilities: { dtypes: ['float32'], ops: new Set(), maxBuffersPerKernel } }
      : {}),
  };
  const out = fusionPass.run(graph, ctx).graph;
  return { out, report: ctx.outputs.fusionReport as FusionReport };
}

/**
 * Every (producer, reading kernel) pair where a kernel reads another kernel's stored value,
 * found on the fused graph itself (looking through inlined, ungrouped views).
 */
function boundaries(out: Graph): { producer: ValueId; kernel: number }[] {
  const byId = new Map(out.nodes.map((n) => [n.id, n]));
  const found: { producer: ValueId; kernel: number }[] = [];
  for (const n of out.nodes) {
    if (n.group === undefined) continue;
    const stack = [...n.inputs];
    while (stack.length > 0) {
      const p = byId.get(stack.pop()!);
      if (!p) continue; // a graph input or constant
      if (p.group === undefined) stack.push(...p.inputs);
      else if (p.group !== n.group && !found.some((b) => b.producer === p.id && b.kernel === n.group))
        found.push({ producer: p.id, kernel: n.group });
    }
  }
  return found;
}

/** concat([x.T, x.T.mul(2)], 1): the mul is read through the concat, so it is stored (2 kernels). */
function concatOfTransposes(): { graph: Graph; m: ValueId; c: ValueId } {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [3, 2] });
  const t = b.op('transpose', [x], { perm: [1, 0] });
  const two = b.op('broadcast', [b.op('constant', [], { value: 2, dtype: 'float32' })], { shape: [2, 3] });
  const m = b.op('mul', [t, two]);
  const c = b.op('concat', [t, m], { axis: 1 });
  b.output(c);
  return { graph: b.build(), m, c };
}

describe('fusion report: every kernel boundary has a reason (issue #18 item 6)', () => {
  it('explains why concat([x.T, x.T.mul(2)], 1) takes 2 kernels', () => {
    const { graph, m, c } = concatOfTransposes();
    const { report } = fuse(graph);
    expect(report.kernels).toHaveLength(2);
    const rejected = report.decisions.filter((d) => !d.fused);
    expect(rejected).toEqual([
      expect.objectContaining({
        producer: m,
        consumer: c,
        reason: expect.stringMatching(/concat.*repeat its work/),
      }),
    ]);
    expect(formatFusionReport(report)).toMatch(new RegExp(`not fused:\\n    %${m} -> %${c}: `));
  });

  it('logs each rejected pair at debug level, and a later write replaces the lazily built report', () => {
    const { graph, m, c } = concatOfTransposes();
    const debug: string[] = [];
    const ctx: PassContext = {
      options: {},
      logger: { ...silentLogger, debug: (text) => debug.push(text) },
      outputs: {},
    };
    fusionPass.run(graph, ctx);
    expect(debug).toEqual([expect.stringMatching(new RegExp(`^fusion: %${m} -> %${c}: .*repeat its work`))]);
    expect(Object.keys(ctx.outputs)).toEqual(['fusionReport']);
    const replaced = { ...ctx.outputs.fusionReport!, kernels: [] };
    ctx.outputs.fusionReport = replaced;
    expect(ctx.outputs.fusionReport).toBe(replaced);
  });

  it('explains the kernels a buffer limit splits off, views included', () => {
    const b = new GraphBuilder('cat');
    const xs = Array.from({ length: 6 }, (_, i) => b.input(`x${i}`, { dtype: 'float32', shape: [2] }));
    b.output(b.op('concat', xs, { axis: 0 }));
    const { out, report } = fuse(b.build(), 4);
    expect(report.kernels.length).toBeGreaterThan(1);
    for (const { producer } of boundaries(out)) {
      expect(report.decisions.find((d) => d.producer === producer && !d.fused)?.reason).toMatch(
        /backend limit 4/,
      );
    }
  });

  it('on random graphs and limits, a reason for each value a kernel reads from another', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { maxSteps: 12, maxInputs: 5 }),
        fc.constantFrom(undefined, 3, 4, 6, 8),
        ({ graph }, limit) => {
          let fused: ReturnType<typeof fuse>;
          try {
            fused = fuse(graph, limit);
          } catch (error) {
            if (error instanceof KernelBufferLimitError) return; // covered by buffer-limit.test.ts
            throw error;
          }
          const { out, report } = fused;
          for (const { producer, kernel } of boundaries(out)) {
            const readers = new Set(report.kernels[kernel]!.nodes);
            const decision = report.decisions.find(
              (d) => d.producer === producer && readers.has(d.consumer) && !d.fused,
            );
            expect(decision, `%${producer} read by kernel #${kernel}`).toBeDefined();
            expect(decision!.reason).toMatch(new RegExp(`^%${producer} materialized: .+`));
          }
        },
      ),
      { numRuns: Number(process.env.FUSION_RUNS ?? 300) },
    );
  });
});
