import { describe, expect, it } from 'vitest';
import {
  deserializeGraph,
  deserializeProgram,
  type Graph,
  GraphBuilder,
  IrError,
  interpret,
  serializeGraph,
  VerifyError,
  verifyGraph,
} from '../src/index.js';

/** `x + constant(value)` as `dtype`, with the constant's attr written as given (not through the builder). */
function graphWithConstant(value: number, dtype: 'int32' | 'bool' | 'float32'): Graph {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype, shape: [] });
  const c = b.op('constant', [], { value: 0, dtype });
  b.output(b.op(dtype === 'bool' ? 'or' : 'add', [x, c]));
  const g = b.build();
  g.nodes[0]!.attrs = { value, dtype };
  return g;
}

/** A one-kernel program storing constant `value` of `dtype` into a 1-element output. */
function programDoc(value: unknown, dtype: string, other?: unknown): string {
  const exprs =
    other === undefined
      ? [{ op: 'const', dtype, value }]
      : [
          {
            op: 'load',
            dtype,
            buffer: 0,
            index: { k: 'const', v: 0 },
            guard: [{ expr: { k: 'axis', axis: 0 }, lo: 1, hi: 2 }],
            other,
          },
        ];
  return JSON.stringify(
    {
      irVersion: '1.0',
      kind: 'program',
      program: {
        name: 'p',
        buffers: [
          { id: 0, kind: 'input', dtype, size: 1 },
          { id: 1, kind: 'output', dtype, size: 1 },
        ],
        kernels: [
          {
            name: 'k0',
            kind: 'elementwise',
            domain: [1],
            exprs,
            stores: [{ buffer: 1, index: { k: 'axis', axis: 0 }, value: 0 }],
          },
        ],
        inputs: [0],
        outputs: [1],
        inputShapes: [[1]],
        outputShapes: [[1]],
        slots: [],
        constants: [],
      },
    },
    (_key, v) =>
      typeof v === 'number' && !Number.isFinite(v)
        ? { $num: Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' }
        : v,
  );
}

describe('literals are checked against their dtype (issue 24 item 6)', () => {
  it.each([
    [1e21, 'int32'],
    [2 ** 31, 'int32'],
    [-(2 ** 31) - 1, 'int32'],
    [Infinity, 'int32'],
    [NaN, 'int32'],
    [2.5, 'int32'],
    [NaN, 'bool'],
    [2, 'bool'],
    [-1, 'bool'],
  ] as const)('the graph verifier rejects %s as %s, naming the node and the value', (value, dtype) => {
    const g = graphWithConstant(value, dtype);
    expect(() => verifyGraph(g)).toThrow(VerifyError);
    expect(() => verifyGraph(g)).toThrow(
      new RegExp(`node %0 \\(constant\\).*${String(value).replace('+', '\\+')}`),
    );
    // The JSON loader verifies too.
    expect(() => deserializeGraph(serializeGraph(g))).toThrow(VerifyError);
  });

  it('keeps every float literal and in-range int32/bool literals', () => {
    for (const v of [NaN, Infinity, -Infinity, -0, 1e39, 0.1])
      expect(() => verifyGraph(graphWithConstant(v, 'float32'))).not.toThrow();
    for (const v of [2 ** 31 - 1, -(2 ** 31), 0, -7])
      expect(() => verifyGraph(graphWithConstant(v, 'int32'))).not.toThrow();
    for (const v of [0, 1]) expect(() => verifyGraph(graphWithConstant(v, 'bool'))).not.toThrow();
  });

  it('rejects a bool constant buffer holding something other than 0/1', () => {
    const b = new GraphBuilder('f');
    const c = b.constant([1, 0], [2], 'bool');
    b.output(b.op('not', [c]));
    const g = b.build();
    g.buffers[0]![1] = 7;
    expect(() => verifyGraph(g)).toThrow(/constant %c0: element 1 is 7, not a bool value/);
  });

  it.each([
    [1e21, 'int32'],
    [2 ** 31, 'int32'],
    [Infinity, 'int32'],
    [0.5, 'int32'],
    [NaN, 'bool'],
    [3, 'bool'],
  ] as const)('verifyProgram rejects the kernel constant %s as %s', (value, dtype) => {
    expect(() => deserializeProgram(programDoc(value, dtype))).toThrow(VerifyError);
    expect(() => deserializeProgram(programDoc(value, dtype))).toThrow(
      /kernel k0 e0: constant .* is not an? (int32|bool) value/,
    );
    expect(() => deserializeProgram(programDoc(0, dtype, value))).toThrow(
      /kernel k0 e0: guarded load's other value/,
    );
  });

  it('verifyProgram keeps valid constants', () => {
    expect(() => deserializeProgram(programDoc(2 ** 31 - 1, 'int32'))).not.toThrow();
    expect(() => deserializeProgram(programDoc(1, 'bool', 0))).not.toThrow();
    expect(() => deserializeProgram(programDoc(NaN, 'float32', Infinity))).not.toThrow();
  });
});

describe('the literal rule: int32/bool literals convert as cast does (issue 18 item 7)', () => {
  it('GraphBuilder stores converted values, so every backend sees in-range literals', () => {
    const b = new GraphBuilder('f');
    const big = b.op('constant', [], { value: 3e9, dtype: 'int32' });
    const small = b.op('full', [], { value: -1e21, shape: [1], dtype: 'int32' });
    const nan = b.op('constant', [], { value: NaN, dtype: 'bool' });
    b.output(big, small, nan);
    const g = b.build();
    expect(g.nodes.map((n) => (n.attrs as { value: number }).value)).toEqual([2147483647, -2147483648, 1]);
    verifyGraph(g);
    expect(interpret(g, []).map((t) => Array.from(t.data))).toEqual([[2147483647], [-2147483648], [1]]);
  });

  it('GraphBuilder.constant converts captured data the same way (no wrapping)', () => {
    const b = new GraphBuilder('f');
    const c = b.constant([3e9, -3e9, 2.9, NaN], [4], 'int32');
    const flags = b.constant([NaN, 0, 2], [3], 'bool');
    b.output(c, flags);
    const g = b.build();
    expect(Array.from(g.buffers[0]!)).toEqual([2147483647, -2147483648, 2, 0]);
    expect(Array.from(g.buffers[1]!)).toEqual([1, 0, 1]);
    verifyGraph(g);
  });
});

describe('loaders given objects keep non-finite numbers (FINDINGS: JSON.stringify made NaN a null)', () => {
  it('a NaN slice stop in an object document is rejected, not read as "to the end"', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [4] });
    b.output(b.op('slice', [x], { starts: [0], stops: [null], steps: [1] }));
    const doc = JSON.parse(serializeGraph(b.build()));
    expect(deserializeGraph(doc).nodes[0]!.attrs).toMatchObject({ stops: [null] });
    doc.graph.nodes[0].attrs.stops[0] = NaN;
    expect(() => deserializeGraph(doc)).toThrow(IrError);
    doc.graph.nodes[0].attrs.stops[0] = Infinity;
    expect(() => deserializeGraph(doc)).toThrow(IrError);
  });

  it('a NaN float constant in an object program document is kept as NaN', () => {
    const doc = JSON.parse(programDoc(1, 'float32'));
    doc.program.kernels[0].exprs[0].value = NaN;
    const p = deserializeProgram(doc);
    expect((p.kernels[0]!.exprs[0] as { value: number }).value).toBeNaN();
  });
});

describe('graph documents with an attribute named __proto__', () => {
  it('are refused, not silently stripped', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [2] });
    b.output(b.op('relu', [x]));
    const text = serializeGraph(b.build()).replace('"attrs":{}', '"attrs":{"__proto__":{"isAdmin":true}}');
    expect(text).toContain('__proto__');
    expect(() => deserializeGraph(text)).toThrow(/attribute name '__proto__' is not allowed/);
  });
});
