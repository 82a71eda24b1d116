import {
  type Graph,
  GraphBuilder,
  getOp,
  type HostTensor,
  interpret,
  type Kernel,
  type ValueId,
} from '@paradox/ir';
import { randomGraph, randomInputs } from '@paradox/ir/testing';
import { evaluateProgram, lowerGraph } from '@paradox/pass-lower';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FusionReport, fusionPass, KernelBufferLimitError } from '../src/index.js';
import { expectClose } from './expect-close.js';

/** Distinct buffers a lowered kernel loads from or stores to (what a backend binds). */
const buffersOf = (k: Kernel): number =>
  new Set([...k.exprs.flatMap((e) => (e.op === 'load' ? [e.buffer] : [])), ...k.stores.map((s) => s.buffer)])
    .size;

function fuseAndLower(graph: Graph, maxBuffersPerKernel: number) {
  const ctx: PassContext = {
    options: {},
    logger: silentLogger,
    outputs: {},
    capabilities: { dtypes: ['float32', 'int32', 'bool'], ops: new Set(), maxBuffersPerKernel },
  };
  const fused = fusionPass.run(graph, ctx).graph;
  const program = lowerGraph(fused);
  return { program, report: ctx.outputs.fusionReport as FusionReport };
}

/** Fuses under `limit`, checks every lowered kernel against it and the results against the interpreter. */
function expectWithinLimit(graph: Graph, inputs: HostTensor[], limit: number) {
  const { program, report } = fuseAndLower(graph, limit);
  const widths = program.kernels.map(buffersOf);
  expect(Math.max(...widths), `kernel widths ${widths.join(',')} under limit ${limit}`).toBeLessThanOrEqual(
    limit,
  );
  expectClose(evaluateProgram(program, inputs), interpret(graph, inputs), 1e-4);
  return { program, report };
}

const f32 = (shape: number[]) => ({ dtype: 'float32' as const, shape });

function chainOfAdds(n: number): Graph {
  const b = new GraphBuilder('adds');
  const xs = Array.from({ length: n }, (_, i) => b.input(`x${i}`, f32([5])));
  let acc = xs[0]!;
  for (const x of xs.slice(1)) acc = b.op('add', [acc, x]);
  b.output(acc);
  return b.build();
}

describe('fusion respects maxBuffersPerKernel (issue #18 item 2)', () => {
  it('relu((x + y) + z) under a limit of 3 splits into kernels of at most 3 buffers', () => {
    const b = new GraphBuilder('f');
    const [x, y, z] = ['x', 'y', 'z'].map((n) => b.input(n, f32([4])));
    b.output(b.op('relu', [b.op('add', [b.op('add', [x!, y!]), z!])]));
    const graph = b.build();
    const { program, report } = expectWithinLimit(graph, randomInputs(graph, 1), 3);
    expect(program.kernels.length).toBe(2);
    expect(report.decisions.some((d) => !d.fused && /backend limit 3/.test(d.reason))).toBe(true);
  });

  it.each([
    [6, 4],
    [9, 5],
    [16, 3],
  ])('%i inputs added under a limit of %i', (n, limit) => {
    const graph = chainOfAdds(n);
    expectWithinLimit(graph, randomInputs(graph, n), limit);
  });

  it('cuts a long chain into full kernels: 300 inputs under a limit of 8 take 50 kernels', () => {
    const graph = chainOfAdds(300);
    const { program, report } = expectWithinLimit(graph, randomInputs(graph, 7), 8);
    // Each kernel reads 7 buffers and stores 1; the first reads 7 inputs, the others 6 and the last sum.
    expect(program.kernels.length).toBe(Math.ceil((300 - 1) / 6));
    expect(report.totalBytesWritten).toBe(program.kernels.length * 5 * 4);
  });

  it('splits a 16-way concat under a limit of 12 into a tree of concats', () => {
    const b = new GraphBuilder('cat');
    const xs = Array.from({ length: 16 }, (_, i) => b.input(`x${i}`, f32([2, i + 1])));
    b.output(b.op('concat', xs, { axis: -1 }));
    const graph = b.build();
    const { program } = expectWithinLimit(graph, randomInputs(graph, 2), 12);
    expect(program.kernels.length).toBe(2);
    // Every limit from 3 up fits; a matmul reading the concat as an operand does too.
    for (let limit = 3; limit <= 17; limit++) expectWithinLimit(graph, randomInputs(graph, limit), limit);
  });

  it('splits a wide concat that a matmul reads as an operand', () => {
    const b = new GraphBuilder('catmm');
    const xs = Array.from({ length: 10 }, (_, i) => b.input(`x${i}`, f32([1, 6])));
    const w = b.input('w', f32([6, 3]));
    b.output(b.op('relu', [b.op('matmul', [b.op('concat', xs, { axis: 0 }), w])]));
    const graph = b.build();
    for (const limit of [3, 4, 5, 8]) expectWithinLimit(graph, randomInputs(graph, limit), limit);
  });

  it('raises KernelBufferLimitError, naming the node, when one op alone needs more buffers', () => {
    const b = new GraphBuilder('w');
    const [c, x, y] = ['c', 'x', 'y'].map((n) => b.input(n, f32([3])));
    const w = b.op('where', [b.op('gt', [c!, x!]), x!, y!]);
    b.output(w);
    const graph = b.build();
    expectWithinLimit(graph, randomInputs(graph, 3), 4);
    expect(() => fuseAndLower(graph, 3)).toThrow(KernelBufferLimitError);
    expect(() => fuseAndLower(graph, 3)).toThrow(`node %${w} (where) alone touches 4 buffers`);
  });
});

/** True when `id` needs a buffer read: an input, a constant, or a value that reads one through views. */
function readsBuffer(graph: Graph, id: ValueId, memo = new Map<ValueId, boolean>()): boolean {
  const n = graph.nodes.find((m) => m.id === id);
  if (!n) return true;
  const known = memo.get(id);
  if (known !== undefined) return known;
  const t = getOp(n.op).traits;
  const result =
    t.creation === true && t.impure !== true
      ? false
      : t.movement === true
        ? n.inputs.some((i) => readsBuffer(graph, i, memo))
        : true;
  memo.set(id, result);
  return result;
}

/** The fewest buffers some single op of the graph needs as a kernel of its own (concats split). */
function widestOp(graph: Graph, limit: number): number {
  let widest = 0;
  const memo = new Map<ValueId, boolean>();
  for (const n of graph.nodes) {
    // A matmul reads each operand as a plain buffer (lowering stores constants and pad/concat views).
    const contraction = getOp(n.op).traits.contraction === true;
    const reads = new Set(n.inputs.filter((i) => contraction || readsBuffer(graph, i, memo))).size;
    const splitConcat = n.op === 'concat' && limit >= 3 ? Math.min(reads, limit - 1) : reads;
    if (getOp(n.op).traits.movement !== true || n.op === 'concat') widest = Math.max(widest, splitConcat + 1);
  }
  return widest;
}

describe('fusion under random buffer limits', () => {
  it('never produces an over-limit kernel on random graphs x limits 2..16, and keeps the results', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { maxSteps: 12, maxInputs: 6 }),
        fc.integer({ min: 2, max: 16 }),
        ({ graph, inputs }, limit) => {
          try {
            expectWithinLimit(graph, inputs, limit);
          } catch (error) {
            // Only an op that needs more buffers on its own than the limit may refuse.
            if (!(error instanceof KernelBufferLimitError)) throw error;
            expect(widestOp(graph, limit)).toBeGreaterThan(limit);
          }
        },
      ),
      { numRuns: Number(process.env.FUSION_RUNS ?? 300) },
    );
  });
});
