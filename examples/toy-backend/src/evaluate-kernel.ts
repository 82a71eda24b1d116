import {
  argmaxTakes,
  type Bound,
  castValue,
  dynamicOffset,
  evalBinary,
  evalIndex,
  evalUnary,
  exprPhases,
  type Kernel,
  numel,
  type ReduceFn,
  randomNormal,
  randomUniform,
  reduceDef,
  type ScalarExpr,
  stridesOf,
  type TypedArray,
} from '@paradox/ir';

/** Every point of `shape` in row-major order. */
function* points(shape: readonly number[]): Generator<number[]> {
  const n = numel(shape);
  const strides = stridesOf(shape);
  for (let flat = 0; flat < n; flat++) yield shape.map((d, k) => Math.floor(flat / strides[k]!) % d);
}

/**
 * Evaluates one kernel by walking its expression DAG at every domain point: the most direct reading
 * of the kernel dialect. Values that do not vary over the reduction domain are memoized per point.
 */
export function evaluateKernel(kernel: Kernel, buffers: Map<number, TypedArray>): void {
  const phases = exprPhases(kernel);
  const variesOverReduction = phases.map((p) => p === 'inner' || p === 'post-inner');
  const rshape = kernel.reduce?.shape ?? [];
  for (const at of points(kernel.domain)) {
    const memo = new Map<number, number>();
    const inBounds = (guards: Bound[], r: number[]) =>
      guards.every((g) => {
        const v = evalIndex(g.expr, at, r);
        return v >= g.lo && v < g.hi;
      });
    const value = (i: number, r: number[]): number => {
      const cached = memo.get(i);
      if (cached !== undefined) return cached;
      const v = compute(kernel.exprs[i]!, r);
      if (!variesOverReduction[i]) memo.set(i, v);
      return v;
    };
    const compute = (e: ScalarExpr, r: number[]): number => {
      switch (e.op) {
        case 'load':
          if (e.guard && !inBounds(e.guard, r)) return castValue(e.other ?? 0, e.dtype);
          return buffers.get(e.buffer)![
            evalIndex(e.index, at, r) + (e.dynamic ? dynamicOffset(e.dynamic, value(e.dynamic.value, r)) : 0)
          ]!;
        case 'const':
          return castValue(e.value, e.dtype);
        case 'index':
          // An index is an int32 value: never -0 (lowering may fold a constant index to -0).
          return castValue(evalIndex(e.index, at, r), e.dtype);
        case 'inbounds':
          return inBounds(e.guards, r) ? 1 : 0;
        case 'unary':
          return evalUnary(e.fn, value(e.a, r), kernel.exprs[e.a]!.dtype);
        case 'binary':
          return evalBinary(e.fn, value(e.a, r), value(e.b, r), kernel.exprs[e.a]!.dtype);
        case 'where':
          return value(e.c, r) ? value(e.a, r) : value(e.b, r);
        case 'cast':
          return castValue(value(e.a, r), e.dtype);
        case 'random': {
          const draw = e.distribution === 'normal' ? randomNormal : randomUniform;
          return castValue(draw(e.seed, evalIndex(e.index, at, r)), e.dtype);
        }
        case 'reduce':
          return reduce(e.fn, e.dtype, (rr) => value(e.a, rr));
      }
    };
    // The fold's identity, step and argmax's rule are the registry's (reduceDef), as in every evaluator.
    const reduce = (fn: ReduceFn, dtype: ScalarExpr['dtype'], operand: (r: number[]) => number): number => {
      const { step, identity } = reduceDef(fn);
      let acc = identity(dtype);
      let pos = 0;
      let best = 0;
      for (const rr of points(rshape)) {
        const v = operand(rr);
        if (!step) {
          if (pos === 0 || argmaxTakes(v, acc)) [acc, best] = [v, pos];
        } else {
          acc = evalBinary(step, acc, v, dtype);
        }
        pos++;
      }
      return step ? acc : best;
    };
    for (const s of kernel.stores) {
      const out = buffers.get(s.buffer)!;
      if (s.phase === 'reduction') {
        for (const rr of points(rshape)) out[evalIndex(s.index, at, rr)] = value(s.value, rr);
      } else {
        out[evalIndex(s.index, at, [])] = value(s.value, []);
      }
    }
  }
}
