import type { DType } from '../dtype.js';
import { VerifyError } from '../errors.js';
import type { Bound, BufferDecl, DynamicIndex, IndexExpr, Kernel } from '../kernel.js';
import { numel } from '../shape.js';
import { checkExprTypes } from './expr-types.js';
import { enumeratedRange } from './index-enumerate.js';
import { forEachLeaf } from './index-expr.js';
import { accessRange } from './index-range.js';
import { domainPointExprs } from './kernel-facts.js';
import { type ExprPhase, exprOperands, exprPhases } from './phases.js';
import { printKernelLines } from './print-program.js';

type Fail = (reason: string, exprIndex?: number, storeIndex?: number) => never;

/**
 * Checks one kernel of a structurally valid program (see checkProgramShape) against its buffers:
 * references, dtypes, loop ranks, phases, and that every load and store stays inside its buffer.
 */
export function verifyKernel(k: Kernel, buffers: Map<number, BufferDecl>): void {
  const fail = kernelFailure(k);
  const rank = k.domain.length;
  const rrank = k.reduce?.shape.length ?? 0;
  const checkIndex = (e: IndexExpr, at: number | undefined, store?: number) =>
    forEachLeaf(e, (leaf) => {
      if (leaf.k === 'axis' && leaf.axis >= rank)
        fail(`axis ${leaf.axis} is outside the domain rank ${rank}`, at, store);
      if (leaf.k === 'raxis' && leaf.axis >= rrank)
        fail(`reduction axis ${leaf.axis} is outside the reduction rank ${rrank}`, at, store);
    });
  const buffer = (id: number, at: number | undefined, store?: number): BufferDecl =>
    buffers.get(id) ?? fail(`buffer b${id} is not declared`, at, store);

  // One dtype lookup for the kernel (not a closure per expr: hot on 1,000-expr kernels).
  const dt = (o: number): DType => k.exprs[o]!.dtype;
  k.exprs.forEach((e, i) => {
    for (const o of exprOperands(e))
      if (!(Number.isInteger(o) && o >= 0 && o < i)) fail(`operand e${o} is not an earlier expr`, i);
    checkExprTypes(e, i, dt, fail);
    if (e.op === 'load') {
      const b = buffer(e.buffer, i);
      if (b.dtype !== e.dtype) fail(`loads ${e.dtype} from b${b.id} of dtype ${b.dtype}`, i);
      checkIndex(e.index, i);
      for (const g of e.guard ?? []) checkIndex(g.expr, i);
      if (e.dynamic) checkDynamic(e.dynamic, k.exprs[e.dynamic.value]?.dtype, i, fail);
    }
    if (e.op === 'index' || e.op === 'random') checkIndex(e.index, i);
    if (e.op === 'inbounds') for (const g of e.guards) checkIndex(g.expr, i);
    if (e.op === 'reduce' && !k.reduce) fail('reduce expr in a kernel without a reduction domain', i);
  });

  const phases: ExprPhase[] = exprPhases(k);
  k.exprs.forEach((e, i) => {
    if (e.op === 'reduce') {
      const p = phases[e.a]!;
      if (p === 'post' || p === 'post-inner')
        fail('reduce operand depends on another reduce result (nested reductions are separate kernels)', i);
    }
  });
  k.stores.forEach((s, j) => {
    const b = buffer(s.buffer, undefined, j);
    if (b.kind === 'input' || b.kind === 'const') fail(`stores into ${b.kind} buffer b${b.id}`, undefined, j);
    const value = k.exprs[s.value] ?? fail(`value e${s.value} does not exist`, undefined, j);
    if (value.dtype !== b.dtype)
      fail(`stores ${value.dtype} into b${b.id} of dtype ${b.dtype}`, undefined, j);
    checkIndex(s.index, undefined, j);
    const phase = phases[s.value]!;
    if (s.phase === 'reduction') {
      if (!k.reduce) fail("phase 'reduction' store in a kernel without a reduction domain", undefined, j);
    } else if (phase === 'inner' || phase === 'post-inner') {
      fail(
        `stores a value of phase '${phase}' once per domain point (it varies over the reduction; use phase 'reduction')`,
        undefined,
        j,
      );
    }
  });
  if (k.contraction) {
    const c = k.contraction;
    if (k.exprs[c.acc]?.op !== 'reduce' || k.exprs[c.lhs]?.op !== 'load' || k.exprs[c.rhs]?.op !== 'load') {
      fail('contraction must name two loads and a reduce expr');
    }
    // Tiling renderers address the operands by their affine index alone.
    const lhs = k.exprs[c.lhs] as { dynamic?: unknown };
    const rhs = k.exprs[c.rhs] as { dynamic?: unknown };
    if (lhs.dynamic !== undefined || rhs.dynamic !== undefined)
      fail('contraction operands must be loads without a dynamic (gather) term');
    if (c.m >= rank || c.n >= rank) fail(`contraction axes m=${c.m} n=${c.n} outside domain rank ${rank}`);
  }
  checkAccessesInBounds(k, buffers, fail);
}

/**
 * Every load and store index lies inside its buffer wherever it runs (accessRange: loop ranges and
 * guards). An access no iteration makes is not checked: none in an empty domain, and with an empty
 * reduction domain none that only feeds reductions (or phase-'reduction' stores).
 */
function checkAccessesInBounds(k: Kernel, buffers: Map<number, BufferDecl>, fail: Fail): void {
  const ranges = { domain: k.domain, reduce: k.reduce?.shape ?? [] };
  if (numel(ranges.domain) === 0) return;
  const reductionRuns = numel(ranges.reduce) > 0;
  const perPoint = domainPointExprs(k);
  /** `span`: what a load's clamped dynamic term adds on top of the affine index, [0, span]. */
  const check = (
    index: IndexExpr,
    guards: readonly Bound[],
    id: number,
    what: string,
    at?: number,
    store?: number,
    span = 0,
  ) => {
    const b = buffers.get(id)!;
    let range = accessRange(index, ranges, guards);
    if (!range) return;
    if (!Number.isSafeInteger(range[0]) || !Number.isSafeInteger(range[1] + span))
      fail(`${what} index range is beyond the safe integers`, at, store);
    if (range[0] < 0 || range[1] + span >= b.size) {
      // Intervals over-approximate; on a small loop space the exact range decides.
      const exact = enumeratedRange(index, ranges, guards);
      if (exact === undefined) return;
      if (exact !== 'too-large') range = exact;
    }
    if (range[0] < 0 || range[1] + span >= b.size)
      fail(
        `${what} index ranges over [${range[0]}, ${range[1] + span}], outside b${b.id} of size ${b.size}`,
        at,
        store,
      );
  };
  k.exprs.forEach((e, i) => {
    if (e.op === 'load' && (reductionRuns || perPoint[i])) {
      const span = e.dynamic ? (e.dynamic.extent - 1) * e.dynamic.stride : 0;
      check(e.index, e.guard ?? [], e.buffer, 'load', i, undefined, span);
    }
  });
  k.stores.forEach((s, j) => {
    if (reductionRuns || s.phase !== 'reduction') check(s.index, [], s.buffer, 'store', undefined, j);
  });
}

/** A load's dynamic term: an earlier int32 value, a positive extent and a non-negative stride. */
function checkDynamic(d: DynamicIndex, valueDType: DType | undefined, at: number, fail: Fail): void {
  if (valueDType !== 'int32') fail(`dynamic index e${d.value} must be int32, is ${valueDType}`, at);
  if (!(Number.isSafeInteger(d.extent) && d.extent >= 1))
    fail(`dynamic index extent must be a positive integer, got ${d.extent}`, at);
  if (!(Number.isSafeInteger(d.stride) && d.stride >= 0))
    fail(`dynamic index stride must be a non-negative integer, got ${d.stride}`, at);
}

/** A `fail` that throws VerifyError naming the kernel and expr/store, with the printed kernel around it. */
function kernelFailure(k: Kernel): Fail {
  return (reason, exprIndex, storeIndex) => {
    let all: string[] = [];
    try {
      all = printKernelLines(k);
    } catch {
      // the excerpt is a courtesy; the reason and location are the error
    }
    const line =
      exprIndex !== undefined
        ? 1 + exprIndex
        : storeIndex !== undefined
          ? 1 + k.exprs.length + storeIndex
          : 0;
    const excerpt = all
      .slice(Math.max(0, line - 2), line + 3)
      .map((l, j) => `${Math.max(0, line - 2) + j === line ? '>' : ' '} ${l}`)
      .join('\n');
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k.name) ? k.name : JSON.stringify(k.name.slice(0, 40));
    const where = `kernel ${name}${exprIndex !== undefined ? ` e${exprIndex}` : storeIndex !== undefined ? ` store ${storeIndex}` : ''}`;
    throw new VerifyError(reason, where, excerpt || undefined);
  };
}
