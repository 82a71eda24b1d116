import type * as FastCheck from 'fast-check';
import { GraphBuilder } from '../builder.js';
import { type DType, isFloat, typedArrayFor } from '../dtype.js';
import type { Attrs, Graph, ValueId } from '../graph.js';
import { castValue } from '../interpreter/numerics.js';
import type { HostTensor } from '../interpreter-types.js';
import { numel } from '../shape.js';

/**
 * A reusable fast-check arbitrary of valid graphs with matching inputs, for property tests across
 * the repo (passes preserve results, backends agree with the interpreter, IR round-trips).
 * fast-check is passed in so @paradox/ir has no runtime dependency on it.
 *
 * Each graph is built by replaying a list of small integer "steps" through GraphBuilder, so shrinking
 * removes steps and yields smaller graphs. A step that would be ill-typed is skipped.
 */
export interface RandomGraphOptions {
  /** Most steps (nodes roughly; matmul and where add two). Default 8. */
  maxSteps?: number;
  /** Most inputs. Default 3. */
  maxInputs?: number;
  /** Largest input rank. Default 3. */
  maxRank?: number;
  /** Allow size-0 dims occasionally. Default true. */
  allowEmpty?: boolean;
  /** Put NaN, +-Infinity and -0 into float inputs occasionally. Default false. */
  specialValues?: boolean;
  /** Use only float32 inputs (no int32/bool). Default false. */
  floatOnly?: boolean;
  /** Include the impure random op. Default false. */
  allowRandom?: boolean;
}

export interface RandomGraphCase {
  graph: Graph;
  inputs: HostTensor[];
}

type Step = number[];

const UNARY_FLOAT = [
  'neg',
  'abs',
  'relu',
  'sigmoid',
  'tanh',
  'sin',
  'cos',
  'floor',
  'ceil',
  'sign',
  'exp',
  'sqrt',
  'log',
  'rsqrt',
];
const UNARY_INT = ['neg', 'abs', 'relu', 'sign'];
const ARITH = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'mod', 'pow'];
const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const REDUCE = ['sum', 'max', 'min', 'prod', 'argmax'];
const DTYPE_CHOICES: DType[] = ['float32', 'float32', 'float32', 'int32', 'bool'];

/** The part of fast-check the generator uses (pass the module: `import fc from 'fast-check'`). */
export type FastCheckModule = Pick<typeof FastCheck, 'record' | 'array' | 'nat'>;

export function randomGraph(
  fc: FastCheckModule,
  options: RandomGraphOptions = {},
): FastCheck.Arbitrary<RandomGraphCase> {
  const o = {
    maxSteps: 8,
    maxInputs: 3,
    maxRank: 3,
    allowEmpty: true,
    specialValues: false,
    floatOnly: false,
    allowRandom: false,
    ...options,
  };
  const nat = fc.nat({ max: 1_000_000 });
  const inputSpec = fc.record({ dims: fc.array(nat, { minLength: 0, maxLength: o.maxRank }), dtype: nat });
  return fc
    .record({
      inputs: fc.array(inputSpec, { minLength: 1, maxLength: o.maxInputs }),
      steps: fc.array(fc.array(nat, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: o.maxSteps }),
      outputs: nat,
      dataSeed: nat,
    })
    .map(({ inputs, steps, outputs, dataSeed }) => buildCase(inputs, steps, outputs, dataSeed, o));
}

function buildCase(
  specs: { dims: number[]; dtype: number }[],
  steps: Step[],
  outputPick: number,
  dataSeed: number,
  o: Required<RandomGraphOptions>,
): RandomGraphCase {
  const b = new GraphBuilder('random');
  const values: ValueId[] = [];
  specs.forEach((s, i) => {
    const shape = s.dims.map((d) => (o.allowEmpty && d % 23 === 0 ? 0 : 1 + (d % 4)));
    const dtype = o.floatOnly ? 'float32' : DTYPE_CHOICES[s.dtype % DTYPE_CHOICES.length]!;
    values.push(b.input(`x${i}`, { dtype, shape }));
  });
  for (const step of steps) {
    try {
      const id = applyStep(b, values, step, o);
      if (id !== undefined) values.push(id);
    } catch {
      // ill-typed for these operands: skip the step (the builder rejected it before adding anything)
    }
  }
  const nodes = b.build().nodes;
  if (nodes.length === 0) {
    const x = values[0]!;
    const t = b.typeOf(x);
    values.push(b.op(t.dtype === 'bool' ? 'not' : 'neg', [x]));
  }
  const all = b.build().nodes;
  const last = all[all.length - 1]!.id;
  const extra = values[outputPick % values.length]!;
  b.output(last);
  if (extra !== last && outputPick % 3 === 0) b.output(extra);
  const graph = b.build();
  return { graph, inputs: randomInputs(graph, dataSeed, o.specialValues) };
}

function applyStep(
  b: GraphBuilder,
  values: ValueId[],
  step: Step,
  o: Required<RandomGraphOptions>,
): ValueId | undefined {
  const [kind, pick, p1, p2, p3, p4] = step as [number, number, number, number, number, number];
  const x = values[pick % values.length]!;
  const t = b.typeOf(x);
  const rank = t.shape.length;
  switch (kind % 9) {
    case 0: {
      if (t.dtype === 'bool') return b.op('not', [x]);
      const list = isFloat(t.dtype) ? UNARY_FLOAT : UNARY_INT;
      return b.op(list[p1 % list.length]!, [x]);
    }
    case 1: {
      // a partner that broadcasts with x (x itself always does)
      const partners = values.filter((v) => broadcastable(b.typeOf(v).shape, t.shape));
      const y = partners[p2 % partners.length]!;
      const bothBool = t.dtype === 'bool' && b.typeOf(y).dtype === 'bool';
      const op = bothBool ? (p1 % 2 ? 'and' : 'or') : ARITH[p1 % ARITH.length]!;
      return b.op(op, p3 % 2 ? [x, y] : [y, x]);
    }
    case 2: {
      const partners = values.filter((v) => broadcastable(b.typeOf(v).shape, t.shape));
      const y = partners[p2 % partners.length]!;
      const cond = b.op(COMPARE[p1 % COMPARE.length]!, [x, y]);
      return b.op('where', [cond, x, y]);
    }
    case 3: {
      const op = REDUCE[p1 % REDUCE.length]!;
      if (op === 'argmax') {
        if (rank === 0) return undefined;
        return b.op('argmax', [x], { axis: (p2 % rank) - (p4 % 2 ? rank : 0), keepdims: p3 % 2 === 0 });
      }
      const axes = t.shape.map((_, i) => i).filter((i) => (p2 >> i) & 1);
      return b.op(op, [x], { axes, keepdims: p3 % 2 === 0 });
    }
    case 4:
      return movement(b, x, t.shape, p1, p2, p3, p4);
    case 5: {
      if (t.dtype === 'bool' || rank === 0) return undefined;
      if (rank === 1) return b.op('matmul', [x, x]);
      const perm = t.shape.map((_, i) => i);
      [perm[rank - 1], perm[rank - 2]] = [perm[rank - 2]!, perm[rank - 1]!];
      const xt = b.op('transpose', [x], { perm });
      return b.op('matmul', p1 % 2 ? [x, xt] : [xt, x]);
    }
    case 6: {
      const to: DType[] = o.floatOnly ? ['float32'] : ['float32', 'int32', 'bool'];
      return b.op('cast', [x], { dtype: to[p1 % to.length]! });
    }
    case 7: {
      if (p1 % 3 === 0) return b.op('full', [], { value: (p2 % 7) - 3, shape: [...t.shape], dtype: t.dtype });
      if (p1 % 3 === 1 && rank > 0)
        return b.op('iota', [], {
          shape: [...t.shape],
          axis: p2 % rank,
          dtype: o.floatOnly ? 'float32' : 'int32',
        });
      if (o.allowRandom)
        return b.op('random', [], {
          seed: p2,
          shape: [...t.shape],
          dtype: 'float32',
          distribution: p3 % 2 ? 'uniform' : 'normal',
        });
      return b.op('constant', [], { value: (p2 % 5) - 2, dtype: t.dtype });
    }
    default: {
      // concat x with something of its shape (x itself when nothing else matches)
      if (rank === 0) return undefined;
      const same = values.filter((v) => {
        const u = b.typeOf(v);
        return u.dtype === t.dtype && u.shape.length === rank && u.shape.every((d, i) => d === t.shape[i]);
      });
      const y = same[p2 % same.length]!;
      return b.op('concat', p3 % 2 ? [x, y] : [y, x, y], { axis: (p1 % rank) - (p4 % 2 ? rank : 0) });
    }
  }
}

function movement(
  b: GraphBuilder,
  x: ValueId,
  shape: number[],
  p1: number,
  p2: number,
  p3: number,
  p4: number,
): ValueId {
  const rank = shape.length;
  const attrs: Attrs = {};
  switch (p1 % 6) {
    case 0: {
      // reshape: reversed dims, sometimes with a -1
      const target = [...shape].reverse();
      if (target.length > 0 && numel(shape) > 0 && p2 % 2) target[p3 % target.length] = -1;
      return b.op('reshape', [x], { shape: target });
    }
    case 1: {
      const perm = shape.map((_, i) => (i + p2) % rank);
      return b.op('transpose', [x], { perm });
    }
    case 2: {
      const target = [1 + (p2 % 3), ...shape.map((d) => (d === 1 ? 1 + (p3 % 3) : d))];
      return b.op('broadcast', [x], { shape: target });
    }
    case 3: {
      attrs.starts = shape.map((_, i) => ((p2 >> (2 * i)) % 7) - 3);
      attrs.stops = shape.map((_, i) => ((p3 >> (2 * i)) % 9 === 0 ? null : ((p3 >> (2 * i)) % 9) - 4));
      attrs.steps = shape.map((_, i) => [1, 1, 2, -1, -2, 3][(p4 >> (3 * i)) % 6]!);
      return b.op('slice', [x], attrs);
    }
    case 4:
      return b.op('pad', [x], {
        pads: shape.map((_, i) => [(p2 >> i) % 2, (p3 >> i) % 3]),
        value: (p4 % 5) - 2,
      });
    default:
      return b.op('reshape', [x], { shape: [numel(shape)] });
  }
}

function broadcastable(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]!;
    const y = b[b.length - i]!;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** Deterministic inputs for `graph` from `seed`: floats in [-3, 3] (two decimals), ints in [-5, 5], bools. */
export function randomInputs(graph: Graph, seed: number, specialValues = false): HostTensor[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const SPECIAL = [NaN, Infinity, -Infinity, -0];
  return graph.inputs.map(({ type }) => {
    const data = typedArrayFor(type.dtype, numel(type.shape));
    for (let i = 0; i < data.length; i++) {
      const u = next();
      let v: number;
      if (type.dtype === 'bool') v = u < 0.5 ? 0 : 1;
      else if (type.dtype === 'int32') v = Math.floor(u * 11) - 5;
      else if (specialValues && u < 0.08) v = SPECIAL[Math.floor(u * 50) % 4]!;
      else v = Math.round((u * 6 - 3) * 100) / 100;
      data[i] = castValue(v, type.dtype);
    }
    return { dtype: type.dtype, shape: [...type.shape], data };
  });
}
