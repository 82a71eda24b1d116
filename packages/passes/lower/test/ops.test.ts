import type { BuiltinOpName, TensorType, ValueId } from '@paradox/ir';
import { GraphBuilder, UNARY_OPS } from '@paradox/ir';
import { describe, expect, test } from 'vitest';
import { bool, checkLowering, f32, i32 } from './helpers.js';

/**
 * Every op of op set v1, ungrouped, at a regular shape, rank 0 and an empty shape (where the op
 * allows them): evaluateProgram(lowerGraph(g)) must equal interpret(g) element for element, on
 * inputs that include NaN, +-Infinity and -0.
 */
type Case = (b: GraphBuilder, shape: number[]) => ValueId;
const input = (b: GraphBuilder, name: string, t: TensorType) => b.input(name, t);
const unaryCase =
  (op: string, dtype: 'float32' | 'int32' | 'bool' = 'float32'): Case =>
  (b, s) =>
    b.op(op, [input(b, 'x', { dtype, shape: s })]);
const binaryCase =
  (op: string, da: TensorType['dtype'] = 'float32', db: TensorType['dtype'] = 'float32'): Case =>
  (b, s) => {
    const x = input(b, 'x', { dtype: da, shape: s });
    // the second operand broadcasts along the first axis (numpy rules)
    const y = input(b, 'y', { dtype: db, shape: s.slice(1) });
    return b.op(op, [x, y]);
  };

const CASES: { [P in BuiltinOpName]: Case } = {
  neg: unaryCase('neg', 'int32'),
  abs: unaryCase('abs'),
  exp: unaryCase('exp'),
  log: unaryCase('log'),
  sqrt: unaryCase('sqrt'),
  rsqrt: unaryCase('rsqrt'),
  sin: unaryCase('sin'),
  cos: unaryCase('cos'),
  tanh: unaryCase('tanh'),
  sigmoid: unaryCase('sigmoid'),
  relu: unaryCase('relu'),
  floor: unaryCase('floor'),
  ceil: unaryCase('ceil'),
  sign: unaryCase('sign'),
  not: unaryCase('not', 'bool'),
  cast: (b, s) => b.op('cast', [input(b, 'x', f32(...s))], { dtype: 'int32' }),
  add: binaryCase('add', 'int32', 'float32'),
  sub: binaryCase('sub'),
  mul: binaryCase('mul', 'int32', 'int32'),
  div: binaryCase('div', 'int32', 'int32'),
  pow: binaryCase('pow'),
  maximum: binaryCase('maximum'),
  minimum: binaryCase('minimum', 'bool', 'bool'),
  mod: binaryCase('mod'),
  eq: binaryCase('eq', 'int32', 'float32'),
  ne: binaryCase('ne'),
  lt: binaryCase('lt', 'bool', 'int32'),
  le: binaryCase('le'),
  gt: binaryCase('gt'),
  ge: binaryCase('ge'),
  and: binaryCase('and', 'bool', 'bool'),
  or: binaryCase('or', 'bool', 'bool'),
  where: (b, s) => {
    const c = input(b, 'c', bool(...s));
    const x = input(b, 'x', i32(...s));
    const y = input(b, 'y', f32(...s.slice(1)));
    return b.op('where', [c, x, y]);
  },
  sum: (b, s) =>
    b.op('sum', [input(b, 'x', bool(...s))], { axes: s.length > 1 ? [0, s.length - 1] : [], keepdims: true }),
  prod: (b, s) => b.op('prod', [input(b, 'x', f32(...s))], { axes: s.map((_, i) => i), keepdims: false }),
  max: (b, s) =>
    b.op('max', [input(b, 'x', f32(...s))], { axes: s.length > 0 && s[0]! > 0 ? [0] : [], keepdims: false }),
  min: (b, s) =>
    b.op('min', [input(b, 'x', i32(...s))], {
      axes: s.length > 0 && s.at(-1)! > 0 ? [s.length - 1] : [],
      keepdims: true,
    }),
  argmax: (b, s) => {
    const x = input(b, 'x', f32(...(s.length === 0 ? [3] : s)));
    return b.op('argmax', [x], { axis: s.length > 1 && s[0] !== 0 ? 0 : -1, keepdims: false });
  },
  argmin: (b, s) => {
    const x = input(b, 'x', i32(...(s.length === 0 ? [3] : s)));
    return b.op('argmin', [x], { axis: s.length > 1 && s[0] !== 0 ? 0 : -1, keepdims: true });
  },
  erf: unaryCase('erf'),
  gather: (b, s) => {
    const data = input(b, 'x', f32(...(s.length === 0 ? [3] : s)));
    return b.op('gather', [data, input(b, 'i', i32(2, 3))], { axis: s.length > 1 ? -1 : 0 });
  },
  scatterAdd: (b, s) => {
    const shape = s.length === 0 ? [3] : s;
    const data = input(b, 'x', f32(...shape));
    const updates = input(b, 'u', f32(5, ...shape.slice(1)));
    return b.op('scatterAdd', [data, input(b, 'i', i32(5)), updates], { axis: 0 });
  },
  matmul: (b, s) => {
    const m = s[0] ?? 2;
    const x = input(b, 'x', f32(2, m, 3));
    const w = input(b, 'w', i32(3, 4));
    return b.op('matmul', [x, w]);
  },
  conv: (b, s) =>
    b.op('conv', [input(b, 'x', f32(2, 4, 5, s[1] ?? 3)), input(b, 'w', f32(6, 2, 3, 2))], {
      strides: [2, 1],
      dilations: [1, 2],
      pads: [
        [1, 2],
        [0, 1],
      ],
      groups: 2,
    }),
  convTranspose: (b, s) =>
    b.op('convTranspose', [input(b, 'x', f32(1, 4, s[1] ?? 3)), input(b, 'w', f32(4, 3, 3))], {
      strides: [2],
      dilations: [2],
      pads: [[1, 2]],
      outputPadding: [1],
      groups: 2,
    }),
  maxPool: (b, s) =>
    b.op('maxPool', [input(b, 'x', f32(1, 2, 5, s[1] ?? 3))], {
      kernel: [3, 2],
      strides: [2, 2],
      dilations: [1, 1],
      pads: [
        [1, 1],
        [0, 1],
      ],
      ceilMode: true,
    }),
  avgPool: (b, s) =>
    b.op('avgPool', [input(b, 'x', f32(1, 2, 6, s[1] ?? 3))], {
      kernel: [3, 2],
      strides: [2, 1],
      dilations: [1, 2],
      pads: 'same_lower',
      ceilMode: false,
      countIncludePad: s.length > 1,
    }),
  cumsum: (b, s) =>
    b.op('cumsum', [input(b, 'x', s.length === 0 ? i32(4) : f32(...s))], {
      axis: -1,
      exclusive: s.length === 2,
      reverse: s.length !== 3,
    }),
  reshape: (b, s) => b.op('reshape', [input(b, 'x', f32(...s))], { shape: [...s].reverse() }),
  transpose: (b, s) =>
    b.op('transpose', [input(b, 'x', f32(...s))], { perm: s.map((_, i) => s.length - 1 - i) }),
  broadcast: (b, s) => b.op('broadcast', [input(b, 'x', f32(...s))], { shape: [2, ...s] }),
  slice: (b, s) =>
    b.op('slice', [input(b, 'x', f32(...s))], {
      starts: s.map(() => -1),
      stops: s.map(() => null),
      steps: s.map(() => -2),
    }),
  pad: (b, s) => b.op('pad', [input(b, 'x', f32(...s))], { pads: s.map((_, i) => [i % 2, 1]), value: 7.5 }),
  concat: (b, s) => {
    const shape = s.length === 0 ? [2] : s;
    const x = input(b, 'x', f32(...shape));
    const y = input(b, 'y', f32(...shape.map((d, i) => (i === 0 ? d + 1 : d))));
    return b.op('concat', [x, y, x], { axis: 0 });
  },
  constant: (b, s) =>
    b.op('add', [input(b, 'x', f32(...s)), b.op('constant', [], { value: 2.5, dtype: 'float32' })]),
  full: (b, s) => b.op('full', [], { value: -3.7, shape: s, dtype: 'int32' }),
  iota: (b, s) => b.op('iota', [], { shape: s.length === 0 ? [4] : s, axis: -1, dtype: 'float32' }),
  random: (b, s) =>
    b.op('random', [], {
      seed: 42,
      shape: s,
      dtype: 'float32',
      distribution: s.length % 2 ? 'uniform' : 'normal',
    }),
};

const SHAPES: Record<string, number[]> = { regular: [3, 4], rank0: [], empty: [0, 4], rank3: [2, 1, 3] };

describe('every op, ungrouped', () => {
  for (const [op, build] of Object.entries(CASES)) {
    for (const [label, shape] of Object.entries(SHAPES)) {
      test(`${op} ${label}`, () => {
        const b = new GraphBuilder(op);
        let out: ValueId;
        try {
          out = build(b, shape);
        } catch {
          return; // the op rejects this shape (e.g. a binary op on rank 0 with a rank -1 partner)
        }
        checkLowering(b.output(out).build());
      });
    }
  }
  test('the table covers every unary op', () => {
    for (const op of UNARY_OPS) expect(CASES[op]).toBeDefined();
  });
});

describe('matmul shapes', () => {
  const cases: [number[], number[]][] = [
    [[3], [3, 4]],
    [[2, 3], [3]],
    [[3], [3]],
    [
      [2, 1, 2, 3],
      [4, 3, 5],
    ],
    [
      [2, 0],
      [0, 3],
    ],
    [
      [0, 2],
      [2, 3],
    ],
  ];
  for (const [a, w] of cases) {
    test(`[${a}] @ [${w}]`, () => {
      const b = new GraphBuilder('mm');
      const out = b.op('matmul', [b.input('a', f32(...a)), b.input('w', f32(...w))]);
      const p = checkLowering(b.output(out).build());
      const kind = a.length > 1 && w.length > 1 ? 'contraction' : 'reduce';
      expect(p.kernels[0]!.kind).toBe(kind);
    });
  }
});
