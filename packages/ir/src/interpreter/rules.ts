import { type DType, promoteTypes } from '../dtype.js';
import type { TensorType } from '../graph.js';
import type { HostTensor } from '../interpreter-types.js';
import {
  BINARY_OPS,
  type BinaryOp,
  type BuiltinOpName,
  type OpAttrs,
  type OpName,
  type ReduceAttrs,
  UNARY_OPS,
  type UnaryOp,
} from '../op-types.js';
import { opTable } from '../ops/op-table.js';
import { argmaxTakes, argminTakes, reduceDef } from '../ops/reduce-facts.js';
import { randomNormal, randomUniform } from '../random.js';
import { numel, stridesOf } from '../shape.js';
import { resolveSlice } from '../shape-rules.js';
import { broadcastStrides, castTensor, emptyTensor, forEachIndex, forEachOffset } from './indexing.js';
import { castValue, evalBinary, evalUnary } from './numerics.js';
import { INDEXING_RULES } from './rules-indexing.js';
import { WINDOW_EVAL_RULES } from './rules-window.js';

/** Reference semantics of one op: operands in, result of type `out`. Operands were type-checked. */
export type EvalRule<P extends OpName> = (
  inputs: HostTensor[],
  attrs: OpAttrs[P],
  out: TensorType,
) => HostTensor;

const unary =
  (fn: UnaryOp): EvalRule<UnaryOp> =>
  ([x], _attrs, out) => {
    const r = emptyTensor(out.dtype, out.shape);
    const d = x!.data;
    for (let i = 0; i < d.length; i++) r.data[i] = evalUnary(fn, d[i]!, x!.dtype);
    return r;
  };

/** Elementwise n-ary evaluation with numpy broadcasting; operands are first converted to `operandDType`. */
function broadcastMap(
  inputs: HostTensor[],
  out: TensorType,
  operandDType: (i: number) => DType,
  f: (values: number[]) => number,
): HostTensor {
  const xs = inputs.map((x, i) => castTensor(x, operandDType(i)));
  const r = emptyTensor(out.dtype, out.shape);
  const strides = xs.map((x) => broadcastStrides(x.shape, out.shape));
  const values = new Array<number>(xs.length);
  forEachOffset(out.shape, strides, (flat, offsets) => {
    for (let k = 0; k < xs.length; k++) values[k] = xs[k]!.data[offsets[k]!]!;
    r.data[flat] = f(values);
  });
  return r;
}

const binary =
  (fn: BinaryOp): EvalRule<BinaryOp> =>
  (inputs, _attrs, out) => {
    const dtype = promoteTypes(inputs[0]!.dtype, inputs[1]!.dtype);
    return broadcastMap(
      inputs,
      out,
      () => dtype,
      ([a, b]) => evalBinary(fn, a!, b!, dtype),
    );
  };

/**
 * Folds each reduced extent in row-major order with the op's step (the result dtype's binary op),
 * starting from its identity (registry facts: `reduceDef`).
 */
const reduce =
  (fn: 'sum' | 'prod' | 'max' | 'min'): EvalRule<'sum' | 'prod' | 'max' | 'min'> =>
  ([x], attrs: ReduceAttrs, out) => {
    const { step, identity } = reduceDef(fn);
    const src = castTensor(x!, out.dtype);
    const r = emptyTensor(out.dtype, out.shape);
    const keptShape = src.shape.map((d, i) => (attrs.axes.includes(i) ? 1 : d));
    const outStrides = broadcastStrides(keptShape, src.shape);
    r.data.fill(identity(out.dtype));
    forEachOffset(src.shape, [outStrides], (flat, [o]) => {
      r.data[o!] = evalBinary(step!, r.data[o!]!, src.data[flat]!, out.dtype);
    });
    return r;
  };

/** argmax/argmin: the registry's rule (`takes`) picks the position along `axis`. */
const argIndex =
  (takes: (v: number, best: number) => boolean): EvalRule<'argmax' | 'argmin'> =>
  ([x], { axis }, out) => {
    const r = emptyTensor('int32', out.shape);
    const n = x!.shape[axis]!;
    const inner = stridesOf(x!.shape)[axis]!;
    const outer = numel(x!.shape) / (n * inner) || 0;
    const d = x!.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = 0;
        let bestValue = d[base]!;
        for (let k = 1; k < n; k++) {
          const v = d[base + k * inner]!;
          if (takes(v, bestValue)) {
            best = k;
            bestValue = v;
          }
        }
        r.data[o * inner + i] = best;
      }
    }
    return r;
  };

/** numpy matmul; accumulates in the result dtype, rounding after every multiply and add. */
const matmul: EvalRule<'matmul'> = ([a0, b0], _attrs, out) => {
  const dtype = out.dtype;
  const a = castTensor(a0!, dtype);
  const b = castTensor(b0!, dtype);
  const aShape = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bShape = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const n = bShape[bShape.length - 1]!;
  const batch = out.shape.slice(
    0,
    out.shape.length - (a.shape.length > 1 ? 1 : 0) - (b.shape.length > 1 ? 1 : 0),
  );
  const aBatch = broadcastStrides(aShape.slice(0, -2), batch).map((s) => s * m * k);
  const bBatch = broadcastStrides(bShape.slice(0, -2), batch).map((s) => s * k * n);
  const r = emptyTensor(dtype, out.shape);
  let o = 0;
  const visit = (_flat: number, [ao, bo]: number[]) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const prod = evalBinary('mul', a.data[ao! + i * k + p]!, b.data[bo! + p * n + j]!, dtype);
          acc = evalBinary('add', acc, prod, dtype);
        }
        r.data[o++] = acc;
      }
    }
  };
  if (batch.length === 0) visit(0, [0, 0]);
  else forEachOffset(batch, [aBatch, bBatch], visit);
  return r;
};

/** Gathers out[idx] = x[source(idx)], or `fill` where source returns -1. */
function gather(
  x: HostTensor,
  out: TensorType,
  source: (idx: readonly number[]) => number,
  fill = 0,
): HostTensor {
  const r = emptyTensor(out.dtype, out.shape);
  forEachIndex(out.shape, (flat, idx) => {
    const s = source(idx);
    r.data[flat] = s < 0 ? fill : x.data[s]!;
  });
  return r;
}

const creationValue = (value: number, dtype: DType, shape: number[]): HostTensor => {
  const r = emptyTensor(dtype, shape);
  r.data.fill(castValue(value, dtype));
  return r;
};

/** The built-in op table: a missing op is a compile error. */
export const EVAL_RULES: { [P in BuiltinOpName]: EvalRule<P> } = {
  ...opTable(UNARY_OPS, unary),
  cast: ([x], { dtype }) => {
    const r = castTensor(x!, dtype);
    return r === x ? { ...x!, data: x!.data.slice() } : r;
  },
  ...opTable(BINARY_OPS, binary),
  where: (inputs, _attrs, out) =>
    broadcastMap(
      inputs,
      out,
      (i) => (i === 0 ? 'bool' : out.dtype),
      ([c, a, b]) => (c ? a! : b!),
    ),
  sum: reduce('sum'),
  prod: reduce('prod'),
  max: reduce('max'),
  min: reduce('min'),
  argmax: argIndex(argmaxTakes),
  argmin: argIndex(argminTakes),
  ...INDEXING_RULES,
  matmul,
  ...WINDOW_EVAL_RULES,
  reshape: ([x], _attrs, out) => ({ dtype: out.dtype, shape: [...out.shape], data: x!.data.slice() }),
  transpose: ([x], { perm }, out) => {
    const inStrides = stridesOf(x!.shape);
    const r = emptyTensor(out.dtype, out.shape);
    forEachOffset(out.shape, [perm.map((p) => inStrides[p]!)], (flat, [o]) => {
      r.data[flat] = x!.data[o!]!;
    });
    return r;
  },
  broadcast: ([x], _attrs, out) =>
    broadcastMap(
      [x!],
      out,
      () => x!.dtype,
      ([v]) => v!,
    ),
  slice: ([x], { starts, stops, steps }, out) => {
    const inStrides = stridesOf(x!.shape);
    const resolved = x!.shape.map((d, i) => resolveSlice(d, starts[i]!, stops[i]!, steps[i]!));
    const base = resolved.reduce((acc, s, i) => acc + s.start * inStrides[i]!, 0);
    const r = emptyTensor(out.dtype, out.shape);
    forEachOffset(out.shape, [resolved.map((s, i) => s.step * inStrides[i]!)], (flat, [o]) => {
      r.data[flat] = x!.data[base + o!]!;
    });
    return r;
  },
  pad: ([x], { pads, value }, out) => {
    const inStrides = stridesOf(x!.shape);
    const source = (idx: readonly number[]) => {
      let s = 0;
      for (let i = 0; i < idx.length; i++) {
        const j = idx[i]! - pads[i]![0];
        if (j < 0 || j >= x!.shape[i]!) return -1;
        s += j * inStrides[i]!;
      }
      return s;
    };
    return gather(x!, out, source, castValue(value, out.dtype));
  },
  concat: (inputs, { axis }, out) => {
    const r = emptyTensor(out.dtype, out.shape);
    const outer = numel(out.shape.slice(0, axis));
    const rowOut = numel(out.shape.slice(axis));
    let offset = 0;
    for (const x of inputs) {
      const row = numel(x.shape.slice(axis));
      for (let o = 0; o < outer; o++)
        r.data.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + offset);
      offset += row;
    }
    return r;
  },
  constant: (_inputs, { value, dtype }) => creationValue(value, dtype, []),
  full: (_inputs, { value, dtype, shape }) => creationValue(value, dtype, shape),
  iota: (_inputs, { axis, dtype, shape }) => {
    const r = emptyTensor(dtype, shape);
    forEachIndex(shape, (flat, idx) => {
      r.data[flat] = castValue(idx[axis]!, dtype);
    });
    return r;
  },
  random: (_inputs, { seed, dtype, shape, distribution }) => {
    const r = emptyTensor(dtype, shape);
    const draw = distribution === 'uniform' ? randomUniform : randomNormal;
    for (let i = 0; i < r.data.length; i++) r.data[i] = castValue(draw(seed, i), dtype);
    return r;
  },
};
