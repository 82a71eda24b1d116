import type { Backend } from '@paradox/backend';
import { createCBackend } from '@paradox/backend-c';
import { checkAgainstReference } from '@paradox/backend-conformance';
import { createEmulatedCudaBackend, findCxx } from '@paradox/backend-cuda';
import { jsBackend } from '@paradox/backend-js';
import { createWasmBackend } from '@paradox/backend-wasm';
import { createWgslBackend, nodeGpu } from '@paradox/backend-wgsl';
import { toyBackend } from '@paradox/example-toy-backend';
import { DTypeError, decomposeOps, type Graph, GraphBuilder, interpret } from '@paradox/ir';
import { jit, jitGraph } from '@paradox/jit';
import { lowerGraph } from '@paradox/pass-lower';
import {
  getEagerExecutor,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  tensor,
  trace,
} from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { softplus } from '../src/index.js';

const xs = [-100, -20, -3.5, -1, -0, 0, 1e-7, 0.5, 2, 20, 88, 100];
/** Hand formula, independent of the op's own: log(1 + e^x), exact enough in double below e^88. */
const naive = (x: number) => (x > 30 ? x : Math.log(1 + Math.exp(x)));

function softplusGraph(): Graph {
  const b = new GraphBuilder('softplus');
  const x = b.input('x', { dtype: 'float32', shape: [xs.length] });
  return b.output(b.op('softplus', [x])).build();
}

const input = () => ({ dtype: 'float32' as const, shape: [xs.length], data: Float32Array.from(xs) });
const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
};

describe('softplus, registered outside @paradox/ir', () => {
  it("the reference rule computes log(1 + e^x) (the interpreter runs the op's evaluate)", () => {
    const [out] = interpret(softplusGraph(), [input()]);
    expectClose(out!.data, xs.map(naive));
    expect(out!.data[5]).toBeCloseTo(Math.LN2, 6);
  });

  it('its decomposition is in built-in ops and computes the same values', () => {
    const expanded = decomposeOps(softplusGraph());
    expect(expanded.nodes.map((n) => n.op)).not.toContain('softplus');
    const [want] = interpret(softplusGraph(), [input()]);
    const [got] = interpret(expanded, [input()]);
    expectClose(got!.data, want!.data);
  });

  it('the type rule rejects int32 with DTypeError', () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', { dtype: 'int32', shape: [2] });
    expect(() => b.op('softplus', [x])).toThrow(DTypeError);
  });

  it('runs eagerly from user code through apply(), on the backend and on the interpreter', () => {
    expect(getEagerExecutor().name).toBe('backend'); // @paradox/jit is imported
    expectClose(softplus(tensor(xs)).dataSync(), xs.map(naive));
    const previous = setEagerExecutor(interpreterExecutor);
    try {
      expectClose(softplus(tensor(xs)).dataSync(), xs.map(naive));
    } finally {
      setEagerExecutor(previous);
    }
  });

  it('is traced as one node and jitted on js (decomposed before the passes)', () => {
    const f = jit((x: Tensor) => softplus(x).mul(2), { backend: 'js' });
    expectClose(
      (f(tensor(xs)) as Tensor).dataSync(),
      xs.map((x) => 2 * naive(x)),
    );
    const info = f.inspect();
    expect(info.backend).toBe('js');
    expect(info.traced).toMatch(/= softplus /);
    expect(info.optimized).not.toMatch(/= softplus /);
    expect(info.optimized).toMatch(/= exp /);
    expect(trace((x: Tensor) => softplus(x), tensor(xs)).nodes.map((n) => n.op)).toEqual(['softplus']);
  });

  it('a graph holding it compiles with jitGraph', () => {
    const out = jitGraph(softplusGraph()).run(tensor(xs)) as Tensor;
    expectClose(out.dataSync(), xs.map(naive));
  });
});

const backends: [string, () => Backend | Promise<Backend>][] = [
  ['js', () => jsBackend],
  ['wasm', () => createWasmBackend()],
  ['wgsl (WebGPU)', () => createWgslBackend({ name: 'wgsl-softplus', gpu: nodeGpu() }).ready()],
  ['toy', () => toyBackend],
];
if (findCxx()) backends.push(['cuda (CPU emulation)', () => createEmulatedCudaBackend()]);
const c = createCBackend();
if (c.unavailableReason === undefined) backends.push(['c (native)', () => c]);

describe.each(backends)('softplus on %s', (_name, factory) => {
  it('agrees with the reference interpreter', async () => {
    const backend = await factory();
    const graph = softplusGraph();
    const program = lowerGraph(graph); // decomposes: the backend sees only built-in ops
    const exe = await backend.compile(program);
    try {
      await checkAgainstReference(backend, exe, graph, program, [Float32Array.from(xs)], {
        tolerance: { rtol: 1e-5, atol: 1e-6 },
      });
    } finally {
      exe.dispose();
    }
  });
});
