/**
 * Programs the conformance suite's small shapes do not reach: long reductions (tree template),
 * multi-item vec4 elementwise threads, register-blocked matmuls with edges and fused epilogues,
 * dispatches over 65,535 workgroups. All checked against the reference interpreter.
 */
import { numel } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_OPTIONS } from '../src/codegen/render.js';
import { createWgslBackend, nodeGpu, renderKernel, type WgslBackend } from '../src/index.js';
import { checkGraph, data, fusedGraph } from './programs.js';

let backend: WgslBackend;
beforeAll(async () => {
  backend = await createWgslBackend({ name: 'wgsl-programs', gpu: nodeGpu() }).ready();
});

const inputsOf = (shapes: { dtype: Parameters<typeof data>[0]; shape: number[] }[]) =>
  shapes.map((s, i) => data(s.dtype, numel(s.shape), i + 1));

function templates(graph: ReturnType<typeof fusedGraph>['graph']) {
  return lowerGraph(graph).kernels.map((k, i) => renderKernel(k, i, DEFAULT_RENDER_OPTIONS).template);
}

describe('elementwise', () => {
  it('vec4 chain with a broadcast row, several items per thread', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const v = x('float32', [512, 1024]);
      const row = b.op('broadcast', [x('float32', [1024])], { shape: [512, 1024] });
      return [b.op('tanh', [b.op('mul', [b.op('add', [v, row]), v])])];
    });
    expect(templates(graph)).toEqual(['elementwise-vec4']);
    await checkGraph(backend, graph, inputsOf(shapes));
    const looping = createWgslBackend({
      name: 'wgsl-items',
      gpu: nodeGpu(),
      render: { maxItemsPerThread: 4, workgroupSize: 64 },
    });
    await checkGraph(looping, graph, inputsOf(shapes));
    looping.dispose();
  });

  it('int32 and bool through vec4 and scalar paths', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const a = x('int32', [64, 36]);
      const c = x('int32', [64, 36]);
      const m = x('bool', [64, 36]);
      return [
        b.op('where', [m, b.op('mod', [a, c]), b.op('div', [a, c])]),
        b.op('and', [m, b.op('lt', [a, c])]),
      ];
    });
    await checkGraph(backend, graph, inputsOf(shapes));
  });

  it('splits a dispatch over 65,535 workgroups', async () => {
    const small = createWgslBackend({
      name: 'wgsl-wg1',
      gpu: nodeGpu(),
      render: { workgroupSize: 1, vectorize: false, maxItemsPerThread: 1 },
    });
    const { graph, shapes } = fusedGraph((b, x) => [b.op('neg', [x('float32', [70001])])]);
    const program = lowerGraph(graph);
    expect(
      renderKernel(program.kernels[0]!, 0, {
        ...DEFAULT_RENDER_OPTIONS,
        workgroupSize: 1,
        vectorize: false,
        maxItemsPerThread: 1,
      }).workgroups,
    ).toBe(70001);
    await checkGraph(small, graph, inputsOf(shapes));
    small.dispose();
  });
});

describe('reductions', () => {
  it('sum of 100,000 elements (one workgroup tree)', async () => {
    const { graph, shapes } = fusedGraph((b, x) => [
      b.op('sum', [x('float32', [100000])], { axes: [0], keepdims: false }),
    ]);
    expect(templates(graph)).toEqual(['reduce-tree']);
    await checkGraph(backend, graph, inputsOf(shapes), { rtol: 1e-4, atol: 1e-3 });
  });

  it('softmax over rows of 4096: max pass, sum pass, reduction-phase stores', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const v = x('float32', [16, 4096]);
      const m = b.op('max', [v], { axes: [1], keepdims: true });
      const e = b.op('exp', [b.op('sub', [v, b.op('broadcast', [m], { shape: [16, 4096] })])]);
      const s = b.op('sum', [e], { axes: [1], keepdims: true });
      return [b.op('div', [e, b.op('broadcast', [s], { shape: [16, 4096] })])];
    }, false);
    const ids = graph.nodes.map((n) => n.id);
    for (const n of graph.nodes) n.group = n.id === ids[0] ? 0 : 1;
    expect(templates(graph)).toEqual(['reduce-serial-vec4', 'reduce-serial-vec4']);
    await checkGraph(backend, graph, inputsOf(shapes));
    const tree = createWgslBackend({ name: 'wgsl-tree', gpu: nodeGpu(), render: { reduceStrategy: 'tree' } });
    await checkGraph(tree, graph, inputsOf(shapes));
    tree.dispose();
  });

  it('layerNorm rows: vec4 lanes, scalar serial and tree agree with the interpreter', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const v = x('float32', [8, 1024]);
      const row = (t: string) => b.op('broadcast', [t], { shape: [8, 1024] });
      const n = () => b.op('full', [], { value: 1024, shape: [8, 1], dtype: 'float32' });
      const mean = b.op('div', [b.op('sum', [v], { axes: [1], keepdims: true }), n()]);
      const d = b.op('sub', [v, row(mean)]);
      const variance = b.op('div', [b.op('sum', [b.op('mul', [d, d])], { axes: [1], keepdims: true }), n()]);
      return [b.op('mul', [d, row(b.op('rsqrt', [variance]))]), variance];
    }, false);
    // Kernel 0: the mean; kernel 1: variance (domain store) and the normalized rows (reduction phase).
    const meanAt = graph.nodes.findIndex((n) => n.op === 'div');
    graph.nodes.forEach((n, k) => {
      n.group = k <= meanAt ? 0 : 1;
    });
    expect(templates(graph)).toEqual(['reduce-serial-vec4', 'reduce-serial-vec4']);
    await checkGraph(backend, graph, inputsOf(shapes), { rtol: 1e-4, atol: 1e-4 });
    for (const render of [{ vectorize: false }, { reduceStrategy: 'tree' as const }]) {
      const other = createWgslBackend({ name: 'wgsl-ln', gpu: nodeGpu(), render });
      await checkGraph(other, graph, inputsOf(shapes), { rtol: 1e-4, atol: 1e-4 });
      other.dispose();
    }
  });

  it('argmax over long rows with NaN and ties (order-independent combine)', async () => {
    const { graph } = fusedGraph((b, x) => [
      b.op('argmax', [x('float32', [4, 20000])], { axis: 1, keepdims: false }),
      b.op('argmax', [x('int32', [4, 20000])], { axis: 1, keepdims: false }),
    ]);
    const f = data('float32', 80000, 3) as Float32Array;
    f[20000 + 777] = Number.NaN;
    f[20000 + 9000] = Number.NaN;
    f[40000 + 5] = 50;
    f[40000 + 19999] = 50;
    const n = data('int32', 80000, 4) as Int32Array;
    n[60000 + 123] = 1000;
    n[60000 + 12345] = 1000;
    await checkGraph(backend, graph, [f, n]);
  });

  it('min/max/prod over long int32 columns', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const v = x('int32', [3000, 3]);
      return ['max', 'min', 'prod'].map((op) => b.op(op, [v], { axes: [0], keepdims: false }));
    });
    await checkGraph(backend, graph, inputsOf(shapes));
  });
});

describe('matmul', () => {
  it('vec4 register blocks with a fused bias + relu epilogue', async () => {
    const { graph, shapes } = fusedGraph((b, x) => {
      const y = b.op('matmul', [x('float32', [64, 128]), x('float32', [128, 96])]);
      return [b.op('relu', [b.op('add', [y, b.op('broadcast', [x('float32', [96])], { shape: [64, 96] })])])];
    });
    expect(templates(graph)).toEqual(['contraction']);
    await checkGraph(backend, graph, inputsOf(shapes));
  });

  it('odd shapes (edge blocks), batched, and int32', async () => {
    const { graph, shapes } = fusedGraph(
      (b, x) => [
        b.op('matmul', [x('float32', [67, 45]), x('float32', [45, 33])]),
        b.op('matmul', [x('float32', [3, 17, 8]), x('float32', [3, 8, 12])]),
        b.op('matmul', [x('int32', [16, 20]), x('int32', [20, 16])]),
      ],
      false,
    );
    await checkGraph(backend, graph, inputsOf(shapes));
  });
});
