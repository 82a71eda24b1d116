/**
 * Issue #24 item 9 and issue #18 item 10 (wgsl): signed zeros, subnormals read on the bits, and
 * size-0 shapes, checked bit for bit (Object.is) against the reference interpreter.
 */
import { execute } from '@paradox/backend-conformance';
import { type Graph, GraphBuilder, interpret, type KernelProgram, type TypedArray } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, describe, expect, it } from 'vitest';
import { createWgslBackend, nodeGpu } from '../src/index.js';
import { oneKernelProgram } from './programs.js';

const backend = createWgslBackend({ name: 'wgsl-numerics', gpu: nodeGpu() });
afterAll(() => backend.dispose());

const show = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : v));

/** Lowers `graph` (fused into one kernel when `fused`), runs it and expects the interpreter's bits. */
async function expectReference(graph: Graph, inputs: TypedArray[], fused = true) {
  if (fused) for (const n of graph.nodes) n.group = 0;
  const program = lowerGraph(graph);
  const exe = await backend.compile(program);
  try {
    const got = await execute(backend, exe, program, inputs);
    const want = interpret(graph, inputs);
    expect(got.map(show)).toEqual(want.map((w) => show(w.data)));
  } finally {
    exe.dispose();
  }
}

/** Runs a handwritten program on one input; its output as `show` prints it. */
async function runOne(program: KernelProgram, input: Float32Array) {
  const exe = await backend.compile(program);
  try {
    const [out] = await execute(backend, exe, program, [input]);
    return show(out!);
  } finally {
    exe.dispose();
  }
}

function unary(op: string, data: number[], attrs = {}) {
  const b = new GraphBuilder('numerics');
  const x = b.input('x', { dtype: 'float32', shape: [data.length] });
  return { graph: b.output(b.op(op, [x], attrs)).build(), inputs: [Float32Array.from(data)] };
}

describe('signed zeros', () => {
  // The pad value becomes a `const -0` expr selected by `where`: SwiftShader folded a literal -0 to +0.
  it.each([true, false])('pad with value -0 pads with -0 (fused: %s)', async (fused) => {
    const { graph, inputs } = unary('pad', [1, 2, 3], { pads: [[2, 1]], value: -0 });
    await expectReference(graph, inputs, fused);
  });

  it('a -0 literal divided by NaN is NaN (not folded as a zero)', async () => {
    const axis = { k: 'axis' as const, axis: 0 };
    const program = oneKernelProgram(
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [4],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: axis },
          { op: 'const', dtype: 'float32', value: -0 },
          { op: 'binary', fn: 'div', dtype: 'float32', a: 1, b: 0 },
        ],
        stores: [{ buffer: 1, index: axis, value: 2 }],
      },
      [4],
      [4],
    );
    expect(await runOne(program, Float32Array.of(1, -2, 0, Number.NaN))).toEqual([
      '-0',
      0,
      Number.NaN,
      Number.NaN,
    ]);
  });

  it('a literal 0 times sin(x) keeps NaN and the sign of zero (not folded to 0)', async () => {
    const axis = { k: 'axis' as const, axis: 0 };
    const program = oneKernelProgram(
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [4],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: axis },
          { op: 'unary', fn: 'sin', dtype: 'float32', a: 0 },
          { op: 'const', dtype: 'float32', value: 0 },
          { op: 'binary', fn: 'mul', dtype: 'float32', a: 2, b: 1 },
        ],
        stores: [{ buffer: 1, index: axis, value: 3 }],
      },
      [4],
      [4],
    );
    const input = Float32Array.of(Number.NEGATIVE_INFINITY, -1, 1, Number.NaN);
    expect(await runOne(program, input)).toEqual([Number.NaN, '-0', 0, Number.NaN]);
  });

  it('float mod gives a zero result the divisor sign', async () => {
    const b = new GraphBuilder('mod');
    const x = b.input('x', { dtype: 'float32', shape: [8] });
    const y = b.input('y', { dtype: 'float32', shape: [8] });
    const graph = b.output(b.op('mod', [x, y])).build();
    const inputs = [
      Float32Array.of(-0, 0, 4, -4, 3, -3, 0, 6),
      Float32Array.of(5, -5, -2, 2, -3, 3, -Infinity, -3),
    ];
    await expectReference(graph, inputs);
  });
});

describe('subnormal operands of bit-level ops', () => {
  const values = [1e-40, -1e-40, 1.4e-45, -1.4e-45, -0, 0, 0.5, -0.5, Number.NaN, -Number.POSITIVE_INFINITY];
  it.each(['ceil', 'floor', 'sign'])('%s is exact on subnormals', async (op) => {
    const { graph, inputs } = unary(op, values);
    await expectReference(graph, inputs);
  });

  it('cast of a subnormal to bool is true', async () => {
    const { graph, inputs } = unary('cast', values, { dtype: 'bool' });
    await expectReference(graph, inputs);
  });

  it('rounds every float32 step: ((x + 2) - 1) - 1 is not reassociated to x (fuzz 893313051)', async () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [3] });
    const c = (v: number) => b.op('constant', [], { value: v, dtype: 'float32' });
    const y = b.op('add', [b.op('add', [b.op('add', [x, c(2)]), c(-1)]), c(-1)]);
    const input = Float32Array.of(1.8672672510147095, 0.1, -0.3);
    const want = interpret(b.output(y).build(), [input])[0]!.data;
    expect(want[0]).not.toBe(input[0]); // the reference does round (1.8672671318...)
    await expectReference(b.output(y).build(), [input]);
  });

  it('declares the subnormal flushing and finite-math assumptions it cannot avoid', () => {
    expect(backend.capabilities.numerics?.flushesSubnormals).toBe(true);
    expect(backend.capabilities.numerics?.assumesFiniteMath).toBe(true);
  });
});

describe('size-0 dimensions', () => {
  it('batched matmul [2,0,1] x [2,1,0] compiles and gives no elements', async () => {
    const b = new GraphBuilder('mm');
    const x = b.input('x', { dtype: 'float32', shape: [2, 0, 1] });
    const y = b.input('y', { dtype: 'float32', shape: [2, 1, 0] });
    await expectReference(b.output(b.op('matmul', [x, y])).build(), [
      new Float32Array(0),
      new Float32Array(0),
    ]);
  });

  it('batched matmul [2,3,0] x [2,0,2] gives zeros', async () => {
    const b = new GraphBuilder('mm');
    const x = b.input('x', { dtype: 'float32', shape: [2, 3, 0] });
    const y = b.input('y', { dtype: 'float32', shape: [2, 0, 2] });
    await expectReference(b.output(b.op('matmul', [x, y])).build(), [
      new Float32Array(0),
      new Float32Array(0),
    ]);
  });

  it('pads of f32[1,0] and i32[2,0,2] match the interpreter', async () => {
    const { graph, inputs } = unary('pad', [], { pads: [[1, 0]], value: 2 });
    await expectReference(graph, inputs);
    const b = new GraphBuilder('pad');
    const x = b.input('x', { dtype: 'float32', shape: [1, 0] });
    await expectReference(
      b
        .output(
          b.op('pad', [x], {
            pads: [
              [0, 0],
              [1, 0],
            ],
            value: 2,
          }),
        )
        .build(),
      [new Float32Array(0)],
    );
    const c = new GraphBuilder('pad3');
    const y = c.input('y', { dtype: 'int32', shape: [2, 0, 2] });
    const padded = c.op('pad', [y], {
      pads: [
        [0, 1],
        [1, 0],
        [0, 0],
      ],
      value: 3,
    });
    await expectReference(c.output(c.op('mul', [padded, padded])).build(), [new Int32Array(0)]);
  });

  it('a guarded load whose index is a negative constant compiles to its fallback value', async () => {
    // From the fuzz campaign (a pad of f32[2,0] beside other ops): the load index is the constant -1,
    // never in bounds, and WGSL rejects `b0[(-1i)]` ("index -1 out of bounds").
    const minusOne = { k: 'const' as const, v: -1 };
    const guard = [
      {
        expr: { k: 'add' as const, a: { k: 'axis' as const, axis: 0 }, b: { k: 'const' as const, v: -2 } },
        lo: 0,
        hi: 1,
      },
      { expr: minusOne, lo: 0, hi: 0 },
    ];
    const program = oneKernelProgram(
      {
        name: 'k0',
        kind: 'elementwise',
        domain: [3, 1],
        exprs: [
          { op: 'load', dtype: 'float32', buffer: 0, index: minusOne, guard, other: 0 },
          { op: 'const', dtype: 'float32', value: 3 },
          { op: 'inbounds', dtype: 'bool', guards: guard },
          { op: 'where', dtype: 'float32', c: 2, a: 0, b: 1 },
        ],
        stores: [{ buffer: 1, index: { k: 'axis', axis: 0 }, value: 3 }],
      },
      [2, 0],
      [3, 1],
    );
    expect(await runOne(program, new Float32Array(0))).toEqual([3, 3, 3]);
  });
});
