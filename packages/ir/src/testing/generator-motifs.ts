import type { GeneratedValue, ProgramWriter } from './graph-generator.js';

/**
 * Small patterns that found real bugs before (issues #18 and #24), planted among random nodes so
 * they meet fusion, broadcasting and other ops. Each returns nothing; nodes land in the writer.
 */
type Motif = (w: ProgramWriter) => void;

const floatValue = (w: ProgramWriter) => w.pick((v) => v.type.dtype === 'float32' && v.exact);
const zeros = (rank: number): [number, number][] => Array.from({ length: rank }, () => [0, 0]);

/** pad(value=NaN) over pad(value=-Inf): the outer fill must win where it applies. */
const padOverPad: Motif = (w) => {
  const x = floatValue(w) ?? w.input('float32', w.randomShape(w.rng.int(1, 2)));
  const rank = x.type.shape.length;
  if (rank === 0) return;
  const inner = zeros(rank);
  const outer = zeros(rank);
  const axis = w.rng.int(0, rank - 1);
  inner[axis] = [w.rng.int(0, 1), 1];
  outer[axis] = [1, w.rng.int(0, 1)];
  const fills = [Number.NaN, -Infinity, Infinity, -0];
  const p = w.node('pad', [x], { pads: inner, value: w.rng.pick(fills) }, true, x.mag);
  if (p) w.node('pad', [p], { pads: outer, value: w.rng.pick(fills) }, true, x.mag);
};

/** min over a broadcast next to a matmul on the same operand (NaN must survive the min). */
const minBesideMatmul: Motif = (w) => {
  const x = floatValue(w) ?? w.input('float32', [w.rng.int(1, 3), w.rng.int(1, 3)]);
  if (x.type.shape.length !== 2) return;
  const [m, k] = x.type.shape as [number, number];
  const b = w.node('broadcast', [x], { shape: [w.rng.int(1, 3), m, k] }, true, x.mag);
  if (b)
    w.node(
      w.rng.pick(['min', 'max']),
      [b],
      { axes: [0, w.rng.pick([1, 2])], keepdims: w.rng.chance(0.5) },
      true,
      x.mag,
    );
  const t = w.node('transpose', [x], { perm: [1, 0] }, true, x.mag);
  if (t) w.node('matmul', [x, t], {}, false, x.mag * x.mag * k);
};

/** mod and div by +0, -0 and of -0; int32 division by zero too. */
const signedZeroArithmetic: Motif = (w) => {
  const x = w.pick((v) => v.type.dtype !== 'bool' && v.exact) ?? w.input('float32', w.randomShape());
  const dtype = x.type.dtype;
  const zero = w.node(
    'constant',
    [],
    { value: dtype === 'float32' ? w.rng.pick([0, -0]) : 0, dtype },
    true,
    0,
  );
  if (!zero) return;
  const op = w.rng.pick(['mod', 'mod', 'div', 'mul']);
  const operands: GeneratedValue[] = w.rng.chance(0.5) ? [x, zero] : [zero, x];
  w.node(op, operands, {}, dtype !== 'float32' || op !== 'div', Infinity);
};

/** where(x > 0, +Inf, -Inf) and where(c, 0, -0): constants that JSON-keyed caches confused. */
const specialWhere: Motif = (w) => {
  const x = w.pick((v) => v.type.dtype === 'float32' && v.exact) ?? w.input('float32', w.randomShape());
  const zero = w.node('constant', [], { value: 0, dtype: 'float32' }, true, 0);
  const cond = zero && w.node(w.rng.pick(['gt', 'le', 'ne']), [x, zero], {}, true, 0);
  if (!cond) return;
  const [a, b] = w.rng.pick([
    [Infinity, -Infinity],
    [0, -0],
    [Number.NaN, -0],
  ]);
  const ca = w.node('constant', [], { value: a, dtype: 'float32' }, true, 0);
  const cb = w.node('constant', [], { value: b, dtype: 'float32' }, true, 0);
  if (ca && cb) w.node('where', [cond, ca, cb], {}, true, 0);
};

/** int32 arithmetic past 2^31 wraps the same everywhere. */
const intOverflow: Motif = (w) => {
  const x = w.pick((v) => v.type.dtype === 'int32') ?? w.input('int32', w.randomShape());
  const c = w.node(
    'constant',
    [],
    { value: w.rng.pick([65536, 2147483647, -2147483648, 46341]), dtype: 'int32' },
    true,
    0,
  );
  const sum = c && w.node(w.rng.pick(['mul', 'add', 'sub']), [x, c], {}, true, 0);
  if (sum && w.rng.chance(0.3)) w.node(w.rng.pick(['neg', 'abs']), [sum], {}, true, 0);
};

/** Size-0 dimensions under pads and slices (guarded loads with no element to load). */
const emptyShapes: Motif = (w) => {
  const dtype = w.rng.pick(['float32', 'int32'] as const);
  const shape = [w.rng.int(0, 2), 0, w.rng.int(1, 3)].slice(0, w.rng.int(2, 3));
  const x = w.canAddInput ? w.input(dtype, shape) : w.node('full', [], { value: 1, shape, dtype }, true, 1);
  if (!x) return;
  const pads = shape.map(() => [w.rng.int(0, 2), w.rng.int(0, 1)] as [number, number]);
  const value = dtype === 'float32' ? w.rng.pick([Number.NaN, -0, 3]) : w.rng.pick([0, -7, 3]);
  const p = w.node('pad', [x], { pads, value }, true, 3);
  if (p && w.rng.chance(0.5)) w.node('sum', [p], { axes: [1], keepdims: true }, dtype === 'int32', 3);
};

const MOTIFS: Motif[] = [
  padOverPad,
  minBesideMatmul,
  signedZeroArithmetic,
  specialWhere,
  intOverflow,
  emptyShapes,
];

export function generatorMotif(w: ProgramWriter): void {
  w.rng.pick(MOTIFS)(w);
}
