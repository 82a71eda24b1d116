import { BufferMismatchError, getBackend, listBackends, UnsupportedDtypeError } from '@paradox/backend';
import { execute } from '@paradox/backend-conformance';
import {
  createWasmBackend,
  simdSupported,
  threadsAvailable,
  WASM_PRIORITY,
  WasmMemoryLimitError,
  wasmBackend,
} from '@paradox/backend-wasm';
import { GraphBuilder, interpret, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

const MARKER = 'SECRET_IR_TEXT';

function mlpGraph(name = 'mlp') {
  const b = new GraphBuilder(name);
  const x = b.input('x', { dtype: 'float32', shape: [5, 7] });
  const w = b.input('w', { dtype: 'float32', shape: [7, 3] });
  const h = b.op('tanh', [b.op('matmul', [x, w])]);
  return b.output(b.op('sum', [h], { axes: [1], keepdims: false })).build();
}

const inputs = [
  Float32Array.from({ length: 35 }, (_, i) => Math.sin(i) * 2),
  Float32Array.from({ length: 21 }, (_, i) => Math.cos(i * 0.7)),
];

describe('wasm backend', () => {
  it('registers above js when SIMD128 is available, and is then the default', async () => {
    await import('@paradox/backend-js');
    expect(listBackends()).toContain('wasm');
    if (simdSupported()) {
      expect(WASM_PRIORITY).toBeGreaterThan(100);
      expect(getBackend().name).toBe('wasm');
      expect(listBackends().indexOf('wasm')).toBeLessThan(listBackends().indexOf('js'));
    } else expect(getBackend().name).toBe('js');
    expect(getBackend('wasm')).toBe(wasmBackend);
  });

  it('modules never contain text from the IR', async () => {
    const graph = mlpGraph(MARKER);
    const program = lowerGraph(graph);
    program.name = MARKER;
    for (const k of program.kernels) k.sourceNodes = [MARKER];
    const backend = createWasmBackend();
    const bytes = backend.moduleBytes(program);
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain('mlp');
    const exe = backend.compile(program);
    for (const s of exe.sources) expect(s).not.toContain(MARKER);
    const got = (await execute(backend, exe, exe.program, inputs)) as Float32Array[];
    const want = interpret(graph, inputs)[0]!.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(got[0]![i]).toBeCloseTo(want[i]!, 4);
  });

  it('keeps tensors in its memory: buffers, outputs and program regions are counted and released', async () => {
    const backend = createWasmBackend();
    const before = backend.memoryStats();
    const program = lowerGraph(mlpGraph());
    const exe = backend.compile(program);
    const compiled = backend.memoryStats().used;
    const x = backend.allocate('float32', 35);
    const w = backend.allocate('float32', 21);
    expect(backend.memoryStats().used - compiled).toBeGreaterThanOrEqual((35 + 21) * 4);
    backend.upload(x, inputs[0]!);
    backend.upload(w, inputs[1]!);
    const afterInputs = backend.memoryStats().used;
    const [out] = exe.run([x, w]);
    expect(backend.memoryStats().used - afterInputs).toBeGreaterThanOrEqual(5 * 4);
    const want = interpret(mlpGraph(), inputs)[0]!.data as Float32Array;
    const got = backend.download(out!) as Float32Array;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    for (const b of [x, w, out!]) backend.free(b);
    expect(() => backend.download(out!)).toThrow(BufferMismatchError);
    expect(backend.memoryStats().used).toBe(compiled);
    exe.dispose();
    expect(backend.memoryStats().used).toBe(before.used);
    expect(backend.memoryStats().peakUsed).toBeGreaterThanOrEqual(afterInputs);
    expect(() => exe.run([])).toThrow(BufferMismatchError);
  });

  it('bounds memory growth with a typed error and stays usable after it', async () => {
    const backend = createWasmBackend({ maxMemoryBytes: 4 * 65536 });
    expect(() => backend.allocate('float32', 200_000)).toThrow(WasmMemoryLimitError);
    expect(backend.memoryStats().limit).toBe(4 * 65536);
    expect(backend.memoryStats().bytes).toBeLessThanOrEqual(4 * 65536);
    const exe = backend.compile(lowerGraph(mlpGraph()));
    const got = (await execute(backend, exe, exe.program, inputs)) as Float32Array[];
    const want = interpret(mlpGraph(), inputs)[0]!.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(got[0]![i]).toBeCloseTo(want[i]!, 4);
  });

  it('grows memory for large tensors and reuses freed regions', async () => {
    const backend = createWasmBackend();
    const b = new GraphBuilder('big');
    const x = b.input('x', { dtype: 'float32', shape: [300_000] });
    const graph = b.output(b.op('sigmoid', [x])).build();
    const input = Float32Array.from({ length: 300_000 }, (_, i) => (i % 1000) / 100 - 5);
    const exe = backend.compile(lowerGraph(graph));
    const [got] = (await execute(backend, exe, exe.program, [input])) as Float32Array[];
    const grows = backend.memoryStats().grows;
    expect(grows).toBeGreaterThan(0);
    // execute() freed its buffers: the same run again fits in the freed regions.
    await execute(backend, exe, exe.program, [input]);
    expect(backend.memoryStats().grows).toBe(grows);
    const want = interpret(graph, [input])[0]!.data as Float32Array;
    for (let i = 0; i < want.length; i += 997) expect(got![i]).toBeCloseTo(want[i]!, 5);
  });

  it('long chains call the module math functions instead of inlining them, with the same results', async () => {
    const backend = createWasmBackend();
    const b = new GraphBuilder('chain');
    let v = b.input('x', { dtype: 'float32', shape: [6, 7] });
    const fns = ['tanh', 'sigmoid', 'exp', 'log'] as const;
    for (let i = 0; i < 24; i++) v = b.op(fns[i % 4]!, [v]);
    const chain = b.output(v).build();
    const grouped = structuredClone(chain);
    for (const n of grouped.nodes) n.group = 0;
    const input = Float32Array.from({ length: 42 }, (_, i) => Math.sin(i) * 3);
    const exe = backend.compile(lowerGraph(grouped));
    expect(exe.program.kernels).toHaveLength(1);
    const [got] = (await execute(backend, exe, exe.program, [input])) as Float32Array[];
    const want = interpret(chain, [input])[0]!.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(got![i]).toBeCloseTo(want[i]!, 5);
  });

  it('splits big kernels over worker threads with results identical to one thread', async () => {
    const threaded = createWasmBackend({ threads: 3 });
    const single = createWasmBackend();
    if (!threadsAvailable()) {
      expect(threaded.threads).toBe(1);
      return;
    }
    expect(threaded.threads).toBe(3);
    const b = new GraphBuilder('big');
    const x = b.input('x', { dtype: 'float32', shape: [301, 517] });
    const w = b.input('w', { dtype: 'float32', shape: [517, 67] });
    const h = b.op('sigmoid', [b.op('matmul', [x, w])]);
    const graph = b.output(h, b.op('max', [x], { axes: [1], keepdims: false }), b.op('tanh', [x])).build();
    const data = [
      Float32Array.from({ length: 301 * 517 }, (_, i) => Math.sin(i * 0.01)),
      Float32Array.from({ length: 517 * 67 }, (_, i) => Math.cos(i * 0.02) * 0.1),
    ];
    const program = lowerGraph(graph);
    const one = (await execute(single, single.compile(program), program, data)) as Float32Array[];
    const many = (await execute(threaded, threaded.compile(program), program, data)) as Float32Array[];
    for (let o = 0; o < one.length; o++) expect(many[o]).toEqual(one[o]);
    expect(threaded.parallelRuns).toBeGreaterThan(0);
    const want = interpret(graph, data);
    for (let i = 0; i < want[0]!.data.length; i += 101) expect(many[0]![i]).toBeCloseTo(want[0]!.data[i]!, 5);
    threaded.close();
    expect(threaded.threads).toBe(1);
    // Still usable after close(), on one thread.
    const again = (await execute(threaded, threaded.compile(program), program, data)) as Float32Array[];
    expect(again[1]).toEqual(one[1]);
  });

  for (const shape of [[64], [24], [3, 40], [5, 16]]) {
    it(`unrolled vector loops agree with the interpreter on [${shape}] (with a broadcast operand)`, async () => {
      const backend = createWasmBackend({ threads: 2, minParallelWork: 0 });
      const b = new GraphBuilder('unrolled');
      const x = b.input('x', { dtype: 'float32', shape });
      const row = b.input('r', { dtype: 'float32', shape: [shape.at(-1)!] });
      const bcast = b.op('broadcast', [row], { shape });
      const y = b.op('sub', [b.op('mul', [b.op('sigmoid', [x]), bcast]), b.op('tanh', [x])]);
      const graph = b.output(b.op('maximum', [y, b.op('exp', [bcast])])).build();
      const grouped = structuredClone(graph);
      for (const n of grouped.nodes) n.group = 0;
      const n = shape.reduce((p, q) => p * q, 1);
      const data = [
        Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3),
        Float32Array.from({ length: shape.at(-1)! }, (_, i) => Math.cos(i) - 0.5),
      ];
      const program = lowerGraph(grouped);
      expect(program.kernels).toHaveLength(1);
      const [got] = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
      const want = interpret(graph, data)[0]!.data as Float32Array;
      for (let i = 0; i < n; i++) expect(got![i]).toBeCloseTo(want[i]!, 5);
      backend.close();
    });
  }

  for (const row of [64, 24, 40, 37]) {
    it(`fused softmax with a row cache and unrolled reductions agrees with the interpreter (rows of ${row})`, async () => {
      const backend = createWasmBackend({ threads: 2, minParallelWork: 0 });
      const shape = [6, row];
      const b = new GraphBuilder('softmax');
      const v = b.input('x', { dtype: 'float32', shape });
      const m = b.op('max', [v], { axes: [1], keepdims: true });
      const e = b.op('exp', [b.op('sub', [v, b.op('broadcast', [m], { shape })])]);
      const sum = b.op('sum', [e], { axes: [1], keepdims: true });
      const graph = b.output(b.op('div', [e, b.op('broadcast', [sum], { shape })])).build();
      const ids = graph.nodes.map((n) => n.id);
      for (const n of graph.nodes) if (ids.indexOf(n.id) > 0) n.group = 1;
      const program = lowerGraph(graph);
      expect(program.kernels.some((k) => k.stores.some((st) => st.phase === 'reduction'))).toBe(true);
      const data = [Float32Array.from({ length: 6 * row }, (_, i) => Math.sin(i * 1.3) * 4)];
      const [got] = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
      const want = interpret(graph, data)[0]!.data as Float32Array;
      for (let i = 0; i < want.length; i++) expect(got![i]).toBeCloseTo(want[i]!, 6);
      backend.close();
    });
  }

  it('float sums and products step in float32 like the reference: overflow to inf, then inf * 0 = NaN', async () => {
    // Regression (fuzz seed 3077946272): a double accumulator gave 0 for prod [3e38, 4.75, 0, 0.375].
    for (const simd of [true, false]) {
      const backend = createWasmBackend({ simd });
      const b = new GraphBuilder('overflow');
      const x = b.input('x', { dtype: 'float32', shape: [3, 4] });
      const graph = b
        .output(
          b.op('prod', [x], { axes: [1], keepdims: false }),
          b.op('sum', [x], { axes: [1], keepdims: false }),
        )
        .build();
      const big = Math.fround(3e38);
      const data = [Float32Array.from([big, 4.75, 0, 0.375, big, big, -big, 1, 2, 3, 4, 5])];
      const program = lowerGraph(graph);
      const got = (await execute(backend, backend.compile(program), program, data)) as Float32Array[];
      const want = interpret(graph, data).map((t) => t.data as Float32Array);
      expect(Number.isNaN(want[0]![0]!)).toBe(true);
      expect(want[1]![1]).toBe(Infinity);
      expect(Array.from(got[0]!)).toEqual(Array.from(want[0]!));
      expect(Array.from(got[1]!)).toEqual(Array.from(want[1]!));
    }
  });

  it('rejects malformed programs and unsupported dtypes with typed errors', () => {
    const backend = createWasmBackend();
    const program = lowerGraph(mlpGraph());
    const broken = structuredClone(program);
    broken.kernels[0]!.stores[0]!.buffer = 999;
    expect(() => backend.compile(broken)).toThrow(VerifyError);
    const half = structuredClone(program);
    half.buffers[0]!.dtype = 'float16';
    expect(() => backend.compile(half)).toThrow(UnsupportedDtypeError);
    expect(backend.memoryStats().used).toBe(0);
  });
});
