import { execute } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';
import {
  type Graph,
  GraphBuilder,
  interpret,
  type KernelProgram,
  nonPositiveExprs,
  type ValueId,
} from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

const ROWS = 6;
const COLS = 40;
const SHAPE = [ROWS, COLS];

type Build = (b: GraphBuilder, x: ValueId, y: ValueId) => { reduced: ValueId; value: ValueId };

/** exp(value - reduce(reduced)) / sum, lowered as jit fuses softmax: the row reduction, then the rest. */
function program(build: Build, fn: 'max' | 'min' = 'max'): { graph: Graph; program: KernelProgram } {
  const b = new GraphBuilder('rows');
  const x = b.input('x', { dtype: 'float32', shape: SHAPE });
  const y = b.input('y', { dtype: 'float32', shape: SHAPE });
  const { reduced, value } = build(b, x, y);
  const m = b.op(fn, [reduced], { axes: [1], keepdims: true });
  const e = b.op('exp', [b.op('sub', [value, b.op('broadcast', [m], { shape: SHAPE })])]);
  const sum = b.op('sum', [e], { axes: [1], keepdims: true });
  const graph = b.output(b.op('div', [e, b.op('broadcast', [sum], { shape: SHAPE })])).build();
  const cut = graph.nodes.findIndex((n) => n.id === m);
  graph.nodes.forEach((n, i) => {
    n.group = i <= cut ? 1 : 2;
  });
  return { graph, program: lowerGraph(graph) };
}

/** The exprs of the kernel that computes exp, found <= 0, as the ops of the exp's operand. */
function found(p: KernelProgram): { kernel: number; subs: number[]; expArgs: number[] } {
  const kernel = p.kernels.findIndex((k) => k.exprs.some((e) => e.op === 'unary' && e.fn === 'exp'));
  const exprs = p.kernels[kernel]!.exprs;
  const expArgs = exprs.flatMap((e) => (e.op === 'unary' && e.fn === 'exp' ? [e.a] : []));
  return { kernel, subs: [...nonPositiveExprs(p, kernel)], expArgs };
}

const softmax: Build = (_, x) => ({ reduced: x, value: x });

describe('exprs known <= 0 (x - max x)', () => {
  it("finds softmax's x - max(x)", () => {
    const { subs, expArgs } = found(program(softmax).program);
    expect(subs).toEqual(expArgs);
    expect(subs.length).toBe(1);
  });

  it('does not find x - min(x), x - max(y), 2x - max(x)', () => {
    expect(found(program(softmax, 'min').program).subs).toEqual([]);
    expect(found(program((_, x, y) => ({ reduced: y, value: x })).program).subs).toEqual([]);
    const twice: Build = (b, x) => ({ reduced: x, value: b.op('add', [x, x]) });
    expect(found(program(twice).program).subs).toEqual([]);
  });

  it('does not find it when the max is stored many to one, or its input or slot is written in between', () => {
    const base = program(softmax).program;
    const { kernel } = found(base);
    const maxKernel = base.kernels[kernel - 1]!;
    const m = maxKernel.stores[0]!.buffer;
    const input = base.inputs[0]!;

    const manyToOne = structuredClone(base);
    manyToOne.kernels[kernel - 1]!.stores[0]!.index = { k: 'const', v: 0 };
    manyToOne.kernels[kernel]!.exprs.forEach((e) => {
      if (e.op === 'load' && e.buffer === m) e.index = { k: 'const', v: 0 };
    });
    expect(found(manyToOne).subs).toEqual([]);

    // A kernel between the two that overwrites the input (as if in place), or a temp in M's slot.
    const writer = (buffer: number) => {
      const k = structuredClone(maxKernel);
      k.stores = [{ ...k.stores[0]!, buffer }];
      return k;
    };
    const overwritten = structuredClone(base);
    overwritten.kernels.splice(kernel, 0, writer(input));
    expect(found(overwritten).subs).toEqual([]);

    const shared = structuredClone(base);
    const slot = shared.buffers.find((d) => d.id === m)!.slot;
    shared.buffers.push({ id: 99, dtype: 'float32', size: ROWS, kind: 'temp', slot });
    shared.kernels.splice(kernel, 0, writer(99));
    expect(found(shared).subs).toEqual([]);
    expect(found(structuredClone(base)).subs.length).toBe(1);
  });

  it('softmax without the clamp agrees with the interpreter on rows of inf, NaN and huge values', async () => {
    const x = new Float32Array(ROWS * COLS);
    for (let c = 0; c < COLS; c++) {
      x[c] = c === 3 ? Infinity : c % 5;
      x[COLS + c] = c === 7 ? Number.NaN : -c;
      x[2 * COLS + c] = c % 2 ? 3e38 : -3e38;
      x[3 * COLS + c] = c % 4 === 0 ? -Infinity : 88 + c * 0.5;
      x[4 * COLS + c] = -Infinity;
      x[5 * COLS + c] = c === 0 ? 1e30 : -1e30;
    }
    const { graph, program: p } = program(softmax);
    const data = [x, new Float32Array(ROWS * COLS)];
    const backend = createWasmBackend();
    const [got] = (await execute(backend, backend.compile(p), p, data)) as Float32Array[];
    const want = interpret(graph, data)[0]!.data as Float32Array;
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = got![i]!;
      if (Number.isNaN(w) || !Number.isFinite(w) || w === 0)
        expect(Object.is(g, w), `[${i}] = ${g}, want ${w}`).toBe(true);
      else
        expect(
          Math.abs(g - w) / 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23),
          `[${i}]`,
        ).toBeLessThanOrEqual(4 + 2 * Math.sqrt(COLS));
    }
    backend.close();
  });
});
