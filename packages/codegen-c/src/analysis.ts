import { MalformedProgramError } from '@paradox/backend';
import type { BufferDecl, IndexExpr, Kernel, KernelProgram, ScalarExpr, Store } from '@paradox/ir';
import { fitsInt32, type IndexSpace, validateIndexExpr } from './index_expr.js';

/**
 * Facts about one kernel that every template needs, computed once, with the kernel validated
 * on the way (references in range, buffers declared, stores into writable buffers).
 *
 * Reductions run in sequential *passes* over the reduction domain: a reduce expr whose operand
 * depends on another reduce's result (softmax's sum of exp(x - max)) runs in a later pass.
 */
export interface KernelAnalysis {
  kernel: Kernel;
  space: IndexSpace;
  /** Domain points (product of `domain`; 1 for rank 0). */
  domainSize: number;
  /** Reduction points (product of `reduce.shape`; 0 without `reduce`). */
  reduceSize: number;
  hasReduce: boolean;
  /** expr depends on a reduction-axis index, so it is evaluated per reduction point. */
  perReductionPoint: boolean[];
  /** Number of reduction passes that must be complete before the expr can be evaluated. */
  after: number[];
  /** Reduce exprs of each pass, in pass order. */
  passes: number[][];
  domainStores: Store[];
  reductionStores: Store[];
  /** Distinct buffers the kernel touches, in first-use order (the kernel's parameters). */
  buffers: BufferDecl[];
  loaded: Set<number>;
  stored: Set<number>;
  /** Some index or size exceeds int32: the kernel uses 64-bit index math. */
  wide: boolean;
  /** Domain and reduction axes that index expressions use. */
  usedAxes: Set<number>;
  usedReduceAxes: Set<number>;
}

const INT32_MAX = 2147483647;
/** Headroom for grid-stride counters (i + blockDim * gridDim must not overflow). */
const STRIDE_HEADROOM = 1 << 24;

const REDUCE_FNS = new Set<string>(['sum', 'prod', 'max', 'min', 'argmax']);

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function analyzeKernel(
  kernel: Kernel,
  program: KernelProgram,
  position: number,
  forceWide = false,
): KernelAnalysis {
  const where = `kernel ${position}`;
  const fail = (reason: string): never => {
    throw new MalformedProgramError(reason, where);
  };
  if (!Array.isArray(kernel.domain) || !kernel.domain.every(isSize)) fail('domain must be a list of sizes');
  const reduceShape = kernel.reduce?.shape ?? [];
  if (!Array.isArray(reduceShape) || !reduceShape.every(isSize)) fail('reduce.shape must be a list of sizes');
  if (!Array.isArray(kernel.exprs) || !Array.isArray(kernel.stores)) fail('exprs and stores must be lists');
  const space: IndexSpace = { domain: kernel.domain, reduce: reduceShape };
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  const exprs = kernel.exprs;
  const n = exprs.length;
  const ref = (i: number, r: unknown): number => {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= i) {
      fail(`expr ${i} refers to ${String(r)}, which is not an earlier expr`);
    }
    return r as number;
  };

  const perPoint = new Array<boolean>(n).fill(false);
  const after = new Array<number>(n).fill(0);
  const usedAxes = new Set<number>();
  const usedReduceAxes = new Set<number>();
  const indexExprs: IndexExpr[] = [];
  const buffers: BufferDecl[] = [];
  const loaded = new Set<number>();
  const stored = new Set<number>();
  const useBuffer = (id: unknown): BufferDecl => {
    const decl = typeof id === 'number' ? decls.get(id) : undefined;
    if (!decl) return fail(`refers to undeclared buffer ${String(id)}`);
    if (!buffers.includes(decl)) buffers.push(decl);
    return decl;
  };
  const useIndex = (e: IndexExpr): boolean => {
    validateIndexExpr(e);
    indexExprs.push(e);
    let reductionDependent = false;
    const walk = (x: IndexExpr): void => {
      if (x.k === 'axis') {
        if (x.axis >= kernel.domain.length)
          fail(`index uses axis ${x.axis} of a rank-${kernel.domain.length} domain`);
        usedAxes.add(x.axis);
      } else if (x.k === 'raxis') {
        if (x.axis >= reduceShape.length) fail(`index uses reduction axis ${x.axis}, which the kernel lacks`);
        usedReduceAxes.add(x.axis);
        reductionDependent = true;
      } else if (x.k === 'add') {
        walk(x.a);
        walk(x.b);
      } else if (x.k !== 'const') walk(x.a);
    };
    walk(e);
    return reductionDependent;
  };
  const guardsDependent = (guards: unknown): boolean => {
    if (guards === undefined) return false;
    if (!Array.isArray(guards)) return fail('guards must be a list');
    let dep = false;
    for (const g of guards) {
      if (!Number.isSafeInteger(g?.lo) || !Number.isSafeInteger(g?.hi)) fail('guard bounds must be integers');
      dep = useIndex(g.expr) || dep;
    }
    return dep;
  };

  const passesOf: number[] = [];
  exprs.forEach((e: ScalarExpr, i) => {
    switch (e?.op) {
      case 'load': {
        const decl = useBuffer(e.buffer);
        loaded.add(decl.id);
        perPoint[i] = useIndex(e.index) || guardsDependent(e.guard);
        if (e.other !== undefined && typeof e.other !== 'number') fail(`expr ${i}: 'other' must be a number`);
        break;
      }
      case 'const':
        if (typeof e.value !== 'number') fail(`expr ${i}: constant is not a number`);
        break;
      case 'index':
      case 'random':
        perPoint[i] = useIndex(e.index);
        if (e.op === 'random') {
          if (!Number.isInteger(e.seed)) fail(`expr ${i}: random seed must be an integer`);
          if (e.distribution !== 'uniform' && e.distribution !== 'normal')
            fail(`expr ${i}: unknown distribution`);
        }
        break;
      case 'inbounds':
        perPoint[i] = guardsDependent(e.guards);
        break;
      case 'unary':
      case 'cast':
        perPoint[i] = perPoint[ref(i, e.a)]!;
        after[i] = after[e.a]!;
        break;
      case 'binary':
        perPoint[i] = perPoint[ref(i, e.a)]! || perPoint[ref(i, e.b)]!;
        after[i] = Math.max(after[e.a]!, after[e.b]!);
        break;
      case 'where':
        perPoint[i] = perPoint[ref(i, e.c)]! || perPoint[ref(i, e.a)]! || perPoint[ref(i, e.b)]!;
        after[i] = Math.max(after[e.c]!, after[e.a]!, after[e.b]!);
        break;
      case 'reduce':
        if (!kernel.reduce) fail(`expr ${i} reduces, but the kernel has no reduction domain`);
        if (!REDUCE_FNS.has(e.fn)) fail(`expr ${i} has unknown reduce fn '${String(e.fn)}'`);
        ref(i, e.a);
        passesOf[i] = after[e.a]!;
        after[i] = after[e.a]! + 1;
        break;
      default:
        fail(`expr ${i} has unknown op '${String((e as { op?: unknown })?.op)}'`);
    }
  });

  const passCount = Math.max(0, ...after);
  const passes: number[][] = Array.from({ length: passCount }, () => []);
  exprs.forEach((e, i) => {
    if (e.op === 'reduce') passes[passesOf[i]!]!.push(i);
  });

  const domainStores: Store[] = [];
  const reductionStores: Store[] = [];
  kernel.stores.forEach((s, k) => {
    const decl = useBuffer(s?.buffer);
    if (decl.kind === 'input' || decl.kind === 'const')
      fail(`store ${k} writes ${decl.kind} buffer ${decl.id}`);
    stored.add(decl.id);
    ref(n, s.value);
    const phase = s.phase ?? 'domain';
    const indexDependent = useIndex(s.index);
    if (phase === 'domain') {
      if (indexDependent || perPoint[s.value])
        fail(`store ${k} is per domain point but its value or index uses a reduction axis`);
      domainStores.push(s);
    } else if (phase === 'reduction') {
      if (!kernel.reduce) fail(`store ${k} is in the reduction phase of a kernel without reduction`);
      reductionStores.push(s);
    } else {
      fail(`store ${k} has unknown phase '${String(phase)}'`);
    }
  });

  const domainSize = kernel.domain.reduce((a, b) => a * b, 1);
  const reduceSize = kernel.reduce ? reduceShape.reduce((a, b) => a * b, 1) : 0;
  const wide =
    forceWide ||
    domainSize + STRIDE_HEADROOM > INT32_MAX ||
    reduceSize + STRIDE_HEADROOM > INT32_MAX ||
    buffers.some((b) => b.size > INT32_MAX) ||
    !indexExprs.every((e) => fitsInt32(e, space));

  return {
    kernel,
    space,
    domainSize,
    reduceSize,
    hasReduce: kernel.reduce !== undefined,
    perReductionPoint: perPoint,
    after,
    passes,
    domainStores,
    reductionStores,
    buffers,
    loaded,
    stored,
    wide,
    usedAxes,
    usedReduceAxes,
  };
}
