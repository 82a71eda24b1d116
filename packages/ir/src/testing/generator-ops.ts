import type { DType } from '../dtype.js';
import { numel } from '../shape.js';
import { generatorMotif } from './generator-motifs.js';
import {
  broadcastPartner,
  concatOperands,
  permutation,
  reshapeTarget,
  sliceAttrs,
} from './generator-shapes.js';
import { scalarFor } from './generator-values.js';
import type { GeneratedValue, ProgramWriter } from './graph-generator.js';

/** One generator step: adds a node (or a few) to the program, or nothing when the draw did not fit. */
type Family = (w: ProgramWriter) => void;

const isFloat = (v: GeneratedValue) => v.type.dtype === 'float32';
const isNumeric = (v: GeneratedValue) => v.type.dtype !== 'bool';

const TRANSCENDENTAL: Record<string, number> = {
  exp: 80,
  log: Infinity,
  sqrt: Infinity,
  rsqrt: Infinity,
  sin: 10,
  cos: 10,
  tanh: Infinity,
  sigmoid: Infinity,
};

export function unary(w: ProgramWriter): void {
  const x = w.pick(isNumeric);
  if (!x) return;
  const { rng } = w;
  if (isFloat(x) && x.exact && rng.chance(0.45)) {
    const fits = Object.keys(TRANSCENDENTAL).filter((f) => x.mag <= TRANSCENDENTAL[f]!);
    if (fits.length === 0) return;
    const fn = rng.pick(fits);
    const mag = fn === 'exp' ? Math.exp(x.mag) : fn === 'sqrt' ? Math.sqrt(x.mag) : fn === 'log' ? x.mag : 1;
    w.node(fn, [x], {}, false, fn === 'rsqrt' ? Infinity : mag);
    return;
  }
  const amplifies = ['floor', 'ceil', 'sign'];
  const fn = rng.pick(x.exact ? ['neg', 'abs', 'relu', 'floor', 'ceil', 'sign'] : ['neg', 'abs', 'relu']);
  w.node(fn, [x], {}, true, amplifies.includes(fn) ? x.mag + 1 : x.mag);
}

const ARITH = ['add', 'sub', 'mul', 'div', 'mod', 'maximum', 'minimum', 'pow'] as const;
const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

export function binary(w: ProgramWriter): void {
  const { rng } = w;
  const a = w.pick();
  if (!a) return;
  const b = broadcastPartner(w, a);
  if (!b) return;
  if (a.type.dtype === 'bool' && b.type.dtype === 'bool') {
    w.node(rng.pick(['and', 'or', 'maximum', 'minimum', ...COMPARE]), [a, b], {}, true, 0);
    return;
  }
  const exact = a.exact && b.exact;
  const op = exact ? rng.pick([...ARITH, ...ARITH, ...COMPARE]) : rng.pick(['mul', 'maximum', 'minimum']);
  const float = a.type.dtype === 'float32' || b.type.dtype === 'float32';
  if (op === 'pow' && (a.mag > 8 || b.mag > 8)) return;
  const mag =
    op === 'add' || op === 'sub'
      ? a.mag + b.mag
      : op === 'mul'
        ? a.mag * b.mag
        : op === 'maximum' || op === 'minimum'
          ? Math.max(a.mag, b.mag)
          : Infinity;
  // Float division and pow round differently across backends (WGSL allows 2.5 ulp).
  const stillExact = !float || !['div', 'pow'].includes(op);
  const [l, r] = rng.chance(0.5) ? [a, b] : [b, a];
  w.node(op, [l, r], {}, stillExact, mag);
}

export function where(w: ProgramWriter): void {
  const cond = w.pick((v) => v.type.dtype === 'bool') ?? compareToBool(w);
  if (!cond) return;
  const a = broadcastPartner(w, cond, (v) => v.type.dtype !== 'bool' || w.rng.chance(0.2));
  if (!a) return;
  const b = broadcastPartner(w, a, (v) => v.type.dtype === a.type.dtype);
  if (!b) return;
  w.node('where', [cond, a, b], {}, a.exact && b.exact, Math.max(a.mag, b.mag));
}

function compareToBool(w: ProgramWriter): GeneratedValue | undefined {
  const x = w.pick((v) => v.exact && isNumeric(v));
  if (!x) return undefined;
  const zero = w.node('constant', [], { value: w.rng.pick([0, -0, 0.5, 1]), dtype: x.type.dtype }, true, 1);
  return zero && w.node(w.rng.pick(COMPARE), [x, zero], {}, true, 0);
}

export function cast(w: ProgramWriter): void {
  const x = w.pick();
  if (!x) return;
  const to: DType = w.rng.pick(['float32', 'int32', 'bool']);
  if (to !== 'float32' && !x.exact) return;
  w.node('cast', [x], { dtype: to }, true, to === 'float32' && x.type.dtype === 'int32' ? 2 ** 31 : x.mag);
}

export function reduce(w: ProgramWriter): void {
  const { rng } = w;
  const x = w.pick((v) => v.type.shape.length > 0);
  if (!x) return;
  const rank = x.type.shape.length;
  const keepdims = rng.chance(0.5);
  const spell = (a: number) => (rng.chance(0.3) ? a - rank : a);
  if (rng.chance(0.25)) {
    if (!x.exact) return;
    w.node('argmax', [x], { axis: spell(rng.int(0, rank - 1)), keepdims }, true, 0);
    return;
  }
  const axes = Array.from({ length: rank }, (_, i) => i)
    .filter(() => rng.chance(0.5))
    .map(spell);
  const fn = rng.pick(x.exact ? ['sum', 'prod', 'max', 'min', 'max', 'min'] : ['max', 'min']);
  const extent = axes.reduce((p, a) => p * x.type.shape[(a + rank) % rank]!, 1);
  const mag = fn === 'sum' ? x.mag * extent : fn === 'prod' ? x.mag ** extent : x.mag;
  // Float sums and products depend on the order backends add in.
  w.node(fn, [x], { axes, keepdims }, fn === 'max' || fn === 'min', mag);
}

export function matmul(w: ProgramWriter): void {
  const { rng } = w;
  const a = w.pick((v) => isNumeric(v) && v.type.shape.length >= 1);
  if (!a) return;
  const s = a.type.shape;
  const k = s[s.length - 1]!;
  let b: GeneratedValue | undefined;
  const choice = rng.int(0, 3);
  if (choice === 0 && s.length >= 2) {
    const perm = s.map((_, i) => i);
    [perm[s.length - 1], perm[s.length - 2]] = [perm[s.length - 2]!, perm[s.length - 1]!];
    b = w.node('transpose', [a], { perm }, true, a.mag);
  } else if (choice === 1 && w.canAddInput) {
    b = w.input(a.type.dtype, rng.chance(0.3) ? [k] : [k, rng.int(1, w.options.maxDim)]);
  } else {
    const n = rng.int(1, 4);
    b = w.node('iota', [], { shape: [k, n], axis: rng.int(0, 1), dtype: a.type.dtype }, true, Math.max(k, n));
  }
  if (!b) return;
  const float = a.type.dtype === 'float32' || b.type.dtype === 'float32';
  w.node('matmul', rng.chance(0.8) ? [a, b] : [b, a], {}, !float, a.mag * b.mag * Math.max(1, k));
}

export function movement(w: ProgramWriter): void {
  const { rng } = w;
  const x = w.pick();
  if (!x) return;
  const s = x.type.shape;
  const kind = rng.pick(['reshape', 'transpose', 'broadcast', 'slice', 'slice', 'pad', 'pad', 'concat']);
  if (kind === 'reshape') w.node('reshape', [x], { shape: reshapeTarget(rng, s) }, true, x.mag);
  else if (kind === 'transpose') w.node('transpose', [x], { perm: permutation(rng, s.length) }, true, x.mag);
  else if (kind === 'broadcast') {
    const lead = rng.chance(0.5) ? [rng.int(1, 3)] : [];
    const shape = [...lead, ...s.map((d) => (d === 1 ? rng.int(1, 4) : d))];
    if (numel(shape) <= 4096) w.node('broadcast', [x], { shape }, true, x.mag);
  } else if (kind === 'slice') w.node('slice', [x], sliceAttrs(rng, s), true, x.mag);
  else if (kind === 'pad') {
    const pads = s.map(() => [rng.int(0, 2), rng.int(0, 2)]);
    const value = scalarFor(rng, x.type.dtype);
    w.node('pad', [x], { pads, value }, true, Math.max(x.mag, Number.isFinite(value) ? Math.abs(value) : 0));
  } else {
    const operands = concatOperands(w, x);
    if (!operands) return;
    const axis = operands.axis;
    w.node('concat', operands.values, { axis }, true, Math.max(...operands.values.map((v) => v.mag)));
  }
}

export function creation(w: ProgramWriter): void {
  const { rng } = w;
  const dtype: DType = rng.pick(['float32', 'float32', 'int32', 'bool']);
  const value = scalarFor(rng, dtype);
  const mag = Number.isFinite(value) ? Math.abs(value) : 0;
  const kind = rng.int(0, 2);
  if (kind === 0) w.node('constant', [], { value, dtype }, true, mag);
  else if (kind === 1) w.node('full', [], { value, shape: w.randomShape(rng.int(0, 2)), dtype }, true, mag);
  else if (dtype !== 'bool') {
    const shape = w.randomShape(rng.int(1, 3));
    w.node(
      'iota',
      [],
      { shape, axis: rng.int(-shape.length, shape.length - 1), dtype },
      true,
      Math.max(0, ...shape),
    );
  }
}

function newInput(w: ProgramWriter): void {
  if (w.canAddInput) w.input(w.rng.pick(['float32', 'float32', 'int32', 'bool'] as const), w.randomShape());
}

/** A long elementwise chain: what made recursive passes and renderers overflow the stack. */
function chainLink(w: ProgramWriter): void {
  const x = w.values[w.values.length - 1]!;
  if (x.type.dtype === 'bool') {
    w.node('not', [x], {}, true, 0);
    return;
  }
  const c = w.node('constant', [], { value: w.rng.pick([1, 2, -1, 0.5]), dtype: x.type.dtype }, true, 2);
  if (!c) return;
  const op = w.rng.pick(x.exact ? ['add', 'mul', 'maximum', 'sub'] : ['mul', 'maximum']);
  w.node(op, [x, c], {}, true, Math.min(x.mag * 2 + 2, 1e6));
}

const FAMILIES: Record<string, Family> = {
  unary,
  binary,
  where,
  cast,
  reduce,
  matmul,
  movement,
  creation,
  newInput,
  motif: generatorMotif,
};

export function generatorStep(w: ProgramWriter, longChain: boolean): void {
  if (longChain) {
    chainLink(w);
    return;
  }
  const family = w.rng.weighted({
    unary: 14,
    binary: 22,
    where: 6,
    cast: 5,
    reduce: 10,
    matmul: 4,
    movement: 22,
    creation: 3,
    newInput: 4,
    motif: 100 * w.options.motifs,
  });
  FAMILIES[family]!(w);
}
