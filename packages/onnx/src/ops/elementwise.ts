import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, cast, full, rank, reshape, where, withScalar } from './build.js';

/** Before opset 7, `broadcast=1` with `axis` aligns B's dims starting at `axis` of A. */
function legacyOperand(ctx: NodeContext, a: Val, b: Val): Val {
  if (ctx.opset >= 7 || ctx.int('broadcast', 0) === 0 || !ctx.has('axis')) return b;
  const axis = ctx.int('axis', 0);
  const start = axis < 0 ? axis + rank(a) : axis;
  const trailing = rank(a) - start - rank(b);
  return reshape(ctx.e, b, [...b.type.shape, ...Array(Math.max(0, trailing)).fill(1)]);
}

const unary =
  (op: string): OpMapping =>
  (ctx) =>
    ctx.e.op(op, [ctx.input(0)]);

const bin =
  (op: string): OpMapping =>
  (ctx) => {
    const a = ctx.input(0);
    return binary(ctx.e, op, a, legacyOperand(ctx, a, ctx.input(1)));
  };

/** Left fold of a variadic op (Max, Min, Sum). */
const variadic =
  (op: string): OpMapping =>
  (ctx) =>
    ctx.all().reduce((acc, v) => binary(ctx.e, op, acc, v));

/** ONNX integer division truncates toward zero; the graph's int32 div floors. */
function divide(e: Emitter, a: Val, b: Val): Val {
  const q = binary(e, 'div', a, b);
  if (q.type.dtype !== 'int32') return q;
  const rem = binary(e, 'sub', a, binary(e, 'mul', q, b));
  const signsDiffer = binary(e, 'ne', binary(e, 'lt', a, full(e, 0, a)), binary(e, 'lt', b, full(e, 0, b)));
  const adjust = binary(e, 'and', binary(e, 'ne', rem, full(e, 0, rem)), signsDiffer);
  return where(e, adjust, withScalar(e, 'add', q, 1), q);
}

/** Mod: fmod=1 takes the dividend's sign (C fmod), fmod=0 the divisor's (the graph's mod). */
function mod(ctx: NodeContext): Val {
  const e = ctx.e;
  const a = ctx.input(0);
  const b = ctx.input(1);
  const m = binary(e, 'mod', a, b);
  if (ctx.int('fmod', 0) === 0) return m;
  // fmod = m - b where m is nonzero and its sign differs from a's.
  const zero = full(e, 0, m);
  const mNeg = binary(e, 'lt', m, zero);
  const aNeg = binary(e, 'lt', a, full(e, 0, a));
  const fix = binary(e, 'and', binary(e, 'ne', m, zero), binary(e, 'ne', mNeg, aNeg));
  return where(e, fix, binary(e, 'sub', m, b), m);
}

/** Round half to even: floor(x + 0.5), one lower where that made an odd result from an exact half. */
export function roundHalfEven(e: Emitter, x: Val): Val {
  const r = e.op('floor', [withScalar(e, 'add', x, 0.5)]);
  const tie = binary(e, 'eq', binary(e, 'sub', r, x), full(e, 0.5, x));
  const odd = binary(e, 'ne', binary(e, 'mod', r, full(e, 2, r)), full(e, 0, r));
  return where(e, binary(e, 'and', tie, odd), withScalar(e, 'sub', r, 1), r);
}

const selu: OpMapping = (ctx) => {
  const e = ctx.e;
  const x = ctx.input(0);
  const alpha = ctx.float('alpha', Math.fround(1.6732632423543772));
  const gamma = ctx.float('gamma', Math.fround(1.0507009873554805));
  const neg = withScalar(e, 'mul', withScalar(e, 'sub', e.op('exp', [x]), 1), alpha);
  return withScalar(e, 'mul', where(e, withScalar(e, 'gt', x, 0), x, neg), gamma);
};

/** BitShift on non-negative integers: x * 2^y or floor(x / 2^y) (int32 holds the narrowed values). */
function bitShift(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = ctx.input(0);
  const y = ctx.input(1);
  const power = cast(e, binary(e, 'pow', full(e, 2, y, 'float32'), cast(e, y, 'float32')), 'int32');
  return binary(e, ctx.string('direction', '') === 'LEFT' ? 'mul' : 'div', x, power);
}

export const ELEMENTWISE: Record<string, OpMapping> = {
  BitShift: bitShift,
  Abs: unary('abs'),
  Neg: unary('neg'),
  Exp: unary('exp'),
  Log: unary('log'),
  Sqrt: unary('sqrt'),
  Sin: unary('sin'),
  Cos: unary('cos'),
  Tanh: unary('tanh'),
  Sigmoid: unary('sigmoid'),
  Relu: unary('relu'),
  Floor: unary('floor'),
  Ceil: unary('ceil'),
  Sign: unary('sign'),
  Erf: unary('erf'),
  Not: unary('not'),
  Tan: (ctx) => binary(ctx.e, 'div', ctx.e.op('sin', [ctx.input(0)]), ctx.e.op('cos', [ctx.input(0)])),
  Reciprocal: (ctx) => binary(ctx.e, 'div', full(ctx.e, 1, ctx.input(0)), ctx.input(0)),
  Sinh: (ctx) => {
    const x = ctx.input(0);
    const d = binary(ctx.e, 'sub', ctx.e.op('exp', [x]), ctx.e.op('exp', [ctx.e.op('neg', [x])]));
    return withScalar(ctx.e, 'mul', d, 0.5);
  },
  Cosh: (ctx) => {
    const x = ctx.input(0);
    const s = binary(ctx.e, 'add', ctx.e.op('exp', [x]), ctx.e.op('exp', [ctx.e.op('neg', [x])]));
    return withScalar(ctx.e, 'mul', s, 0.5);
  },
  Identity: (ctx) => ctx.input(0),
  Round: (ctx) => roundHalfEven(ctx.e, ctx.input(0)),
  IsNaN: (ctx) => binary(ctx.e, 'ne', ctx.input(0), ctx.input(0)),
  IsInf: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const pos = withScalar(e, 'eq', x, Number.POSITIVE_INFINITY);
    const neg = withScalar(e, 'eq', x, Number.NEGATIVE_INFINITY);
    const wantPos = ctx.int('detect_positive', 1) !== 0;
    const wantNeg = ctx.int('detect_negative', 1) !== 0;
    if (wantPos && wantNeg) return binary(e, 'or', pos, neg);
    if (wantPos) return pos;
    if (wantNeg) return neg;
    return full(e, 0, x, 'bool');
  },
  Add: bin('add'),
  Sub: bin('sub'),
  Mul: bin('mul'),
  Div: (ctx) => {
    const a = ctx.input(0);
    return divide(ctx.e, a, legacyOperand(ctx, a, ctx.input(1)));
  },
  Pow: (ctx) => {
    const x = ctx.input(0);
    return cast(ctx.e, binary(ctx.e, 'pow', x, cast(ctx.e, ctx.input(1), x.type.dtype)), x.type.dtype);
  },
  Mod: mod,
  Max: variadic('maximum'),
  Min: variadic('minimum'),
  Sum: variadic('add'),
  Mean: (ctx) => {
    const s = ctx.all().reduce((acc, v) => binary(ctx.e, 'add', acc, v));
    return withScalar(ctx.e, 'div', s, ctx.all().length);
  },
  Equal: bin('eq'),
  Greater: bin('gt'),
  Less: bin('lt'),
  GreaterOrEqual: bin('ge'),
  LessOrEqual: bin('le'),
  And: bin('and'),
  Or: bin('or'),
  Xor: bin('ne'),
  Where: (ctx) => where(ctx.e, ctx.input(0), ctx.input(1), ctx.input(2)),
  LeakyRelu: (ctx) => {
    const x = ctx.input(0);
    return where(
      ctx.e,
      withScalar(ctx.e, 'ge', x, 0),
      x,
      withScalar(ctx.e, 'mul', x, ctx.float('alpha', 0.01)),
    );
  },
  PRelu: (ctx) => {
    const x = ctx.input(0);
    let slope = ctx.input(1);
    // Before opset 7 a slope of C values applies per channel (axis 1).
    if (ctx.opset < 7 && rank(slope) === 1 && rank(x) > 2 && slope.type.shape[0] === x.type.shape[1]) {
      slope = reshape(ctx.e, slope, [slope.type.shape[0]!, ...Array(rank(x) - 2).fill(1)]);
    }
    return where(ctx.e, withScalar(ctx.e, 'ge', x, 0), x, binary(ctx.e, 'mul', x, slope));
  },
  ThresholdedRelu: (ctx) => {
    const x = ctx.input(0);
    return where(ctx.e, withScalar(ctx.e, 'gt', x, ctx.float('alpha', 1)), x, full(ctx.e, 0, x));
  },
  Elu: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const neg = withScalar(e, 'mul', withScalar(e, 'sub', e.op('exp', [x]), 1), ctx.float('alpha', 1));
    return where(e, withScalar(e, 'gt', x, 0), x, neg);
  },
  Celu: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const alpha = ctx.float('alpha', 1);
    const neg = withScalar(
      e,
      'mul',
      withScalar(e, 'sub', e.op('exp', [withScalar(e, 'div', x, alpha)]), 1),
      alpha,
    );
    return binary(e, 'add', e.op('relu', [x]), binary(e, 'minimum', full(e, 0, x), neg));
  },
  Selu: selu,
  HardSigmoid: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const lin = withScalar(
      e,
      'add',
      withScalar(e, 'mul', x, ctx.float('alpha', 0.2)),
      ctx.float('beta', 0.5),
    );
    return withScalar(e, 'minimum', withScalar(e, 'maximum', lin, 0), 1);
  },
  HardSwish: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const hs = withScalar(
      e,
      'minimum',
      withScalar(e, 'maximum', withScalar(e, 'add', withScalar(e, 'mul', x, 1 / 6), 0.5), 0),
      1,
    );
    return binary(e, 'mul', x, hs);
  },
  Softplus: (ctx) => ctx.e.op('log', [withScalar(ctx.e, 'add', ctx.e.op('exp', [ctx.input(0)]), 1)]),
  Softsign: (ctx) => {
    const x = ctx.input(0);
    return binary(ctx.e, 'div', x, withScalar(ctx.e, 'add', ctx.e.op('abs', [x]), 1));
  },
  Shrink: (ctx) => {
    const e = ctx.e;
    const x = ctx.input(0);
    const lambd = ctx.float('lambd', 0.5);
    const bias = ctx.float('bias', 0);
    const below = where(e, withScalar(e, 'lt', x, -lambd), withScalar(e, 'add', x, bias), full(e, 0, x));
    return where(e, withScalar(e, 'gt', x, lambd), withScalar(e, 'sub', x, bias), below);
  },
};
