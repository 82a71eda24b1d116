import type { Bound, DType, HostTensor, Kernel, KernelProgram, ReduceFn, TypedArray } from '@paradox/ir';
import {
  argmaxTakes,
  castValue,
  dynamicOffset,
  evalBinary,
  evalIndex,
  evalUnary,
  numel,
  randomNormal,
  randomUniform,
  reduceDef,
  typedArrayFor,
} from '@paradox/ir';

/**
 * A host-side reference for the kernel dialect: runs a KernelProgram exactly as written, with the
 * scalar semantics of @paradox/ir's interpreter (evalUnary/evalBinary/castValue). Temps live in
 * their planned slots (buffers of one slot share memory), so a wrong memory plan shows up as wrong
 * results. Meant for tests: it is simple, not fast.
 */
export class ProgramEvaluationError extends Error {
  override name = 'ProgramEvaluationError';
}

/** Host element size: float16 is held widened in a Float32Array. */
const HOST_BYTES: Record<DType, number> = { float32: 4, float16: 4, int32: 4, bool: 1 };

function viewOf(dtype: DType, memory: ArrayBuffer, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
    case 'float16':
      return new Float32Array(memory, 0, size);
    case 'int32':
      return new Int32Array(memory, 0, size);
    case 'bool':
      return new Uint8Array(memory, 0, size);
  }
}

export function evaluateProgram(
  program: KernelProgram,
  inputs: readonly (HostTensor | TypedArray)[],
): HostTensor[] {
  if (inputs.length !== program.inputs.length) {
    throw new ProgramEvaluationError(
      `program @${program.name} takes ${program.inputs.length} input(s), got ${inputs.length}`,
    );
  }
  const slotMemory = new Map<number, ArrayBuffer>();
  for (const b of program.buffers) {
    if (b.kind !== 'temp' || b.slot === undefined) continue;
    const bytes = Math.max(slotMemory.get(b.slot)?.byteLength ?? 0, b.size * HOST_BYTES[b.dtype]);
    slotMemory.set(b.slot, new ArrayBuffer(bytes));
  }
  const data = new Map<number, TypedArray>();
  for (const b of program.buffers) {
    if (b.kind === 'const') data.set(b.id, program.constants[b.constant!]!);
    else if (b.kind === 'temp' && b.slot !== undefined)
      data.set(b.id, viewOf(b.dtype, slotMemory.get(b.slot)!, b.size));
    else if (b.kind !== 'input') data.set(b.id, typedArrayFor(b.dtype, b.size));
  }
  program.inputs.forEach((id, i) => {
    const given = inputs[i]!;
    const array = 'data' in given ? given.data : given;
    const decl = program.buffers.find((b) => b.id === id)!;
    if (array.length !== decl.size) {
      throw new ProgramEvaluationError(
        `input ${i} has ${array.length} elements, buffer b${id} holds ${decl.size}`,
      );
    }
    data.set(id, array);
  });
  for (const k of program.kernels) runKernel(k, data);
  return program.outputs.map((id, i) => {
    const decl = program.buffers.find((b) => b.id === id)!;
    return { dtype: decl.dtype, shape: [...program.outputShapes[i]!], data: data.get(id)!.slice() };
  });
}

/** Every point of `shape` in row-major order. */
function* points(shape: readonly number[]): Generator<number[]> {
  if (numel(shape) === 0) return;
  const idx = shape.map(() => 0);
  for (;;) {
    yield idx;
    let d = shape.length - 1;
    for (; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** An accumulator (identity, step and argmax's rule from the registry): argmax keeps a flat position. */
class Accumulator {
  value: number;
  best = 0;
  private position = 0;
  constructor(
    readonly fn: ReduceFn,
    readonly dtype: DType,
  ) {
    this.value = reduceDef(fn).identity(dtype);
  }
  add(v: number): void {
    const step = reduceDef(this.fn).step;
    if (!step) {
      if (this.position === 0 || argmaxTakes(v, this.value)) {
        this.value = v;
        this.best = this.position;
      }
      this.position++;
    } else {
      this.value = evalBinary(step, this.value, v, this.dtype);
    }
  }
  result(): number {
    return this.fn === 'argmax' ? this.best : this.value;
  }
}

function runKernel(k: Kernel, data: Map<number, TypedArray>): void {
  const fail = (reason: string): never => {
    throw new ProgramEvaluationError(`kernel ${k.name}: ${reason}`);
  };
  const reduces = k.exprs.flatMap((e, i) => (e.op === 'reduce' ? [{ id: i, expr: e }] : []));
  const rshape = k.reduce?.shape ?? [];
  const reductionStores = k.stores.filter((s) => s.phase === 'reduction');
  const domainStores = k.stores.filter((s) => s.phase !== 'reduction');
  for (const axes of points(k.domain)) {
    const reduced = new Map<number, number>();
    if (reduces.length > 0) {
      const accs = reduces.map(({ expr }) => new Accumulator(expr.fn, expr.dtype));
      for (const raxes of points(rshape)) {
        const ev = evaluator(k, data, axes, raxes, undefined, fail);
        for (const [j, { expr }] of reduces.entries()) accs[j]!.add(ev(expr.a));
      }
      for (const [j, { id }] of reduces.entries()) reduced.set(id, accs[j]!.result());
    }
    const ev = evaluator(k, data, axes, undefined, reduced, fail);
    for (const s of domainStores) write(data, s.buffer, evalIndex(s.index, axes), ev(s.value), fail);
    if (reductionStores.length > 0) {
      for (const raxes of points(rshape)) {
        const evr = evaluator(k, data, axes, raxes, reduced, fail);
        for (const s of reductionStores)
          write(data, s.buffer, evalIndex(s.index, axes, raxes), evr(s.value), fail);
      }
    }
  }
}

function write(
  data: Map<number, TypedArray>,
  buffer: number,
  index: number,
  value: number,
  fail: (r: string) => never,
): void {
  const target = data.get(buffer) ?? fail(`store to undeclared buffer b${buffer}`);
  if (!(index >= 0 && index < target.length))
    fail(`store index ${index} out of bounds of b${buffer} (size ${target.length})`);
  target[index] = value;
}

/**
 * Evaluates exprs at one loop point, memoized. `raxes` is undefined outside the reduction loop (an
 * index reading it is an error), `reduced` undefined inside it (a reduce read there is an error).
 */
function evaluator(
  k: Kernel,
  data: Map<number, TypedArray>,
  axes: readonly number[],
  raxes: readonly number[] | undefined,
  reduced: Map<number, number> | undefined,
  fail: (r: string) => never,
): (id: number) => number {
  const memo = new Map<number, number>();
  const index = (e: Parameters<typeof evalIndex>[0]): number => {
    const v = evalIndex(e, axes, raxes ?? []);
    if (Number.isNaN(v)) fail('an index reads a reduction axis outside the reduction loop');
    return v;
  };
  const holds = (guards: readonly Bound[]) =>
    guards.every((g) => {
      const v = index(g.expr);
      return v >= g.lo && v < g.hi;
    });
  const ev = (id: number): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const e = k.exprs[id] ?? fail(`expr e${id} does not exist`);
    const sameDtype = (...ops: number[]) => {
      for (const o of ops)
        if (k.exprs[o]!.dtype !== k.exprs[ops[0]!]!.dtype) fail(`e${id} mixes operand dtypes`);
    };
    let v: number;
    switch (e.op) {
      case 'load': {
        if (e.guard && !holds(e.guard)) {
          v = castValue(e.other ?? 0, e.dtype);
          break;
        }
        const array = data.get(e.buffer) ?? fail(`load from undeclared buffer b${e.buffer}`);
        const i = index(e.index) + (e.dynamic ? dynamicOffset(e.dynamic, ev(e.dynamic.value)) : 0);
        if (!(i >= 0 && i < array.length))
          fail(`e${id} loads index ${i} out of bounds of b${e.buffer} (size ${array.length})`);
        v = array[i]!;
        break;
      }
      case 'const':
        v = e.value;
        break;
      case 'index':
        v = castValue(index(e.index), 'int32');
        break;
      case 'inbounds':
        v = holds(e.guards) ? 1 : 0;
        break;
      case 'unary':
        v = evalUnary(e.fn, ev(e.a), e.dtype);
        break;
      case 'binary':
        sameDtype(e.a, e.b);
        v = evalBinary(e.fn, ev(e.a), ev(e.b), k.exprs[e.a]!.dtype);
        break;
      case 'where':
        v = ev(e.c) ? ev(e.a) : ev(e.b);
        break;
      case 'cast':
        v = castValue(ev(e.a), e.dtype);
        break;
      case 'random': {
        const draw = e.distribution === 'uniform' ? randomUniform : randomNormal;
        v = castValue(draw(e.seed, index(e.index)), e.dtype);
        break;
      }
      case 'reduce':
        v = reduced?.get(id) ?? fail(`e${id} (reduce) is read inside the reduction loop`);
        break;
    }
    memo.set(id, v);
    return v;
  };
  return ev;
}
