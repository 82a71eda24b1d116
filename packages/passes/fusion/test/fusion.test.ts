import { type Graph, type HostTensor, interpret, numel, typedArrayFor, verifyGraph } from '@paradox/ir';
import { type PassContext, silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { type FusionReport, formatFusionReport, fusionPass } from '../src/index.js';
import { G } from './build.js';

function fuse(graph: Graph, options: Record<string, unknown> = {}, maxBuffersPerKernel?: number) {
  const ctx: PassContext = {
    options,
    logger: silentLogger,
    outputs: {},
    ...(maxBuffersPerKernel
      ? { capabilities: { dtypes: ['float32'], ops: new Set(), maxBuffersPerKernel } }
      : {}),
  };
  const { graph: out } = fusionPass.run(graph, ctx);
  return { out, report: ctx.outputs.fusionReport as FusionReport };
}

const kernels = (g: Graph) => new Set(g.nodes.filter((n) => n.group !== undefined).map((n) => n.group)).size;

function randomInputs(g: Graph, seed = 1): HostTensor[] {
  let s = seed;
  return g.inputs.map((i) => {
    const data = typedArrayFor(i.type.dtype, numel(i.type.shape));
    for (let k = 0; k < data.length; k++) {
      s = (s * 1103515245 + 12345) >>> 0;
      data[k] = ((s >>> 8) / 2 ** 24) * 4 - 2;
    }
    return { dtype: i.type.dtype, shape: [...i.type.shape], data };
  });
}

describe('fusion grouping', () => {
  it('fuses relu(x*2+1).sum() into one kernel', () => {
    const g = new G();
    const x = g.in('x', [64, 32]);
    const y = g.un('relu', g.bin('add', g.bin('mul', x, g.scalar(2, x)), g.scalar(1, x)));
    const graph = g.out(g.reduce('sum', y, [0, 1], false));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(1);
    expect(report.kernels[0]!.kind).toBe('reduce');
    expect(report.kernels[0]!.bytesRead).toBe(64 * 32 * 4);
  });

  it('fuses the W1 chain relu(x*2+1)*sigmoid(x)-0.5 into one kernel', () => {
    const g = new G();
    const x = g.in('x', [1024]);
    const a = g.un('relu', g.bin('add', g.bin('mul', x, g.scalar(2, x)), g.scalar(1, x)));
    const graph = g.out(g.bin('sub', g.bin('mul', a, g.un('sigmoid', x)), g.scalar(0.5, x)));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(1);
    expect(report.totalBytesRead + report.totalBytesWritten).toBe(report.minimumBytes);
  });

  it('puts relu(x @ w + b) in one contraction kernel', () => {
    const g = new G();
    const x = g.in('x', [8, 16]);
    const w = g.in('w', [16, 4]);
    const b = g.in('b', [4]);
    const graph = g.out(g.un('relu', g.bin('add', g.bin('matmul', x, w), g.bcast(b, [8, 4]))));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(1);
    expect(report.kernels[0]!.kind).toBe('contraction');
  });

  it('compiles softmax over the last axis in 2 kernels', () => {
    const g = new G();
    const x = g.in('x', [32, 64]);
    const { out, report } = fuse(g.out(g.softmax(x)));
    expect(kernels(out)).toBe(2);
    expect(report.decisions.filter((d) => !d.fused).map((d) => d.reason)).toEqual([
      expect.stringContaining('needs two passes'),
    ]);
  });

  it('compiles layerNorm in 2 kernels', () => {
    const g = new G();
    const x = g.in('x', [16, 64]);
    const { out } = fuse(g.out(g.layerNorm(x)));
    expect(kernels(out)).toBe(2);
  });

  it('materializes an expensive value with several consumers and explains why', () => {
    const g = new G();
    const x = g.in('x', [16]);
    let t = x;
    for (let i = 0; i < 12; i++) t = g.un('tanh', t);
    const graph = g.out(g.bin('add', g.un('exp', t), g.un('sin', t)));
    const { out, report } = fuse(graph);
    // Computed once, shared in registers by both consumers of the same (multi-output) kernel.
    expect(kernels(out)).toBe(1);
    expect(out.nodes.filter((n) => n.op === 'tanh')).toHaveLength(12);
    const shared = report.decisions.find((d) => d.producer === t)!;
    expect(shared.reason).toMatch(/same multi-output kernel .*2 consumers and recompute cost \d+ > limit 8/);
    // Readers in kernels of different shapes must read it from memory.
    const g2 = new G();
    const x2 = g2.in('x', [16]);
    let t2 = x2;
    for (let i = 0; i < 12; i++) t2 = g2.un('tanh', t2);
    const graph2 = g2.out(g2.un('exp', t2), g2.reduce('sum', g2.un('sin', t2), [0], false));
    const fused2 = fuse(graph2);
    expect(kernels(fused2.out)).toBe(2);
    expect(fused2.report.decisions.find((d) => !d.fused)!.reason).toMatch(
      /2 consumers and recompute cost \d+ > limit 8/,
    );
  });

  it('recomputes a cheap shared value in each kernel that needs it (cloned)', () => {
    const g = new G();
    const x = g.in('x', [4, 8]);
    const e = g.un('exp', x);
    // Two kernels with different reduction domains both read e.
    const graph = g.out(g.reduce('sum', e, [0], false), g.reduce('max', e, [1], false));
    const { out } = fuse(graph);
    expect(kernels(out)).toBe(2);
    expect(out.nodes.filter((n) => n.op === 'exp')).toHaveLength(2);
    verifyGraph(out);
  });

  it('does not recompute a value under a broadcast', () => {
    const g = new G();
    const x = g.in('x', [16]);
    const y = g.in('y', [8, 16]);
    const graph = g.out(g.bin('add', g.bcast(g.un('exp', x), [8, 16]), y));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(2);
    expect(report.decisions.find((d) => !d.fused)!.reason).toMatch(/broadcast/);
  });

  it('splits a kernel that would exceed the backend buffer limit', () => {
    const g = new G();
    const ins = [0, 1, 2, 3, 4, 5].map((i) => g.in(`x${i}`, [8]));
    let acc = ins[0]!;
    for (const i of ins.slice(1)) acc = g.un('exp', g.bin('add', acc, i));
    const graph = g.out(acc);
    expect(kernels(fuse(graph).out)).toBe(1);
    const { out, report } = fuse(graph, {}, 4);
    expect(kernels(out)).toBeGreaterThan(1);
    for (const k of report.kernels) {
      const buffers = new Set(out.nodes.filter((n) => n.group === k.group).flatMap((n) => n.inputs));
      expect(k.bytesRead / 32 + k.roots.length).toBeLessThanOrEqual(4);
      expect(buffers.size).toBeGreaterThan(0);
    }
    expect(report.decisions.some((d) => /backend limit 4/.test(d.reason))).toBe(true);
  });

  it('materializes graph outputs and impure ops', () => {
    const g = new G();
    const x = g.in('x', [4]);
    const r = g.b.op('random', [], { seed: 3, shape: [4], dtype: 'float32', distribution: 'uniform' });
    const e = g.un('exp', x);
    const graph = g.out(e, g.bin('add', e, r));
    const { report } = fuse(graph);
    const reasons = report.decisions.map((d) => d.reason);
    expect(reasons.some((r) => /graph output/.test(r))).toBe(true);
    expect(reasons.some((r) => /impure/.test(r))).toBe(true);
  });

  it('preserves results and leaves a valid graph', () => {
    for (const build of [
      (g: G) => g.softmax(g.in('x', [6, 10])),
      (g: G) => g.layerNorm(g.in('x', [5, 12])),
      (g: G) => {
        const x = g.in('x', [4, 6]);
        const e = g.un('exp', x);
        return g.bin('add', e, g.bcast(g.reduce('sum', e, [1]), [4, 6]));
      },
    ]) {
      const g = new G();
      const graph = g.out(build(g));
      const { out } = fuse(graph);
      verifyGraph(out);
      const inputs = randomInputs(graph);
      expect(interpret(out, inputs)[0]!.data).toEqual(interpret(graph, inputs)[0]!.data);
    }
  });

  it('formats a readable report', () => {
    const g = new G();
    const x = g.in('x', [32, 64]);
    const { report } = fuse(g.out(g.softmax(x)));
    const text = formatFusionReport(report);
    expect(text).toMatch(/^fusion: 2 kernel\(s\)/);
    expect(text).toMatch(/not fused:/);
  });
});

describe('multi-output kernels', () => {
  it('computes reductions over the same input and axes in one kernel', () => {
    const g = new G();
    const x = g.in('x', [16, 32]);
    const graph = g.out(g.reduce('sum', x, [1]), g.reduce('sum', g.bin('mul', x, x), [1]));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(1);
    expect(report.kernels[0]!.roots).toHaveLength(2);
    expect(report.kernels[0]!.bytesRead).toBe(16 * 32 * 4);
  });

  it('stores a producer that is a graph output in the kernel of its consumer', () => {
    const g = new G();
    const x = g.in('x', [64]);
    const e = g.un('exp', x);
    const graph = g.out(e, g.bin('add', e, g.scalar(1, e)));
    const { out, report } = fuse(graph);
    expect(kernels(out)).toBe(1);
    expect(report.totalBytesRead + report.totalBytesWritten).toBe(report.minimumBytes);
  });

  it('keeps dependent reductions apart', () => {
    const g = new G();
    const x = g.in('x', [8, 8]);
    const s = g.reduce('sum', x, [1]);
    const graph = g.out(s, g.reduce('max', g.bin('sub', x, g.bcast(s, [8, 8])), [1]));
    expect(kernels(fuse(graph).out)).toBe(2);
  });
});
