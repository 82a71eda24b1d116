import { BYTES_PER_ELEMENT, type DType } from '../dtype.js';
import { VerifyError } from '../errors.js';
import type { BufferDecl, IndexExpr, Kernel, KernelProgram, ScalarExpr } from '../kernel.js';
import { verifyProgramLiterals } from '../literal.js';
import { getOp, hasOp } from '../registry.js';
import { numel } from '../shape.js';
import { forEachLeaf, indexCoefficients } from './index-expr.js';
import { type ExprPhase, exprOperands, exprPhases } from './phases.js';
import { printKernelLines } from './print-program.js';

const KERNEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a kernel program: buffer declarations and references, dtypes of loads/stores/operands, expr
 * references in topological order, loop indices within the domain/reduction rank, reduce exprs only in
 * reduction kernels and not nested, and phases (no reduction-dependent value stored per domain point).
 * Throws VerifyError naming the kernel and expr, with the kernel's printed lines around it.
 */
export function verifyProgram(program: KernelProgram): void {
  const buffers = new Map<number, BufferDecl>();
  for (const b of program.buffers) {
    const where = `buffer b${b.id}`;
    if (buffers.has(b.id)) throw new VerifyError('declared twice', where);
    buffers.set(b.id, b);
    if (b.kind === 'const') {
      const data = b.constant === undefined ? undefined : program.constants[b.constant];
      if (!data) throw new VerifyError(`constant ${b.constant} does not exist`, where);
      if (data.length !== b.size)
        throw new VerifyError(`constant has ${data.length} elements, buffer size is ${b.size}`, where);
    }
    if (b.kind === 'temp' && b.slot !== undefined) {
      const slot = program.slots.find((s) => s.id === b.slot);
      if (!slot) throw new VerifyError(`slot ${b.slot} does not exist`, where);
      if (slot.bytes < b.size * BYTES_PER_ELEMENT[b.dtype])
        throw new VerifyError(
          `slot ${b.slot} has ${slot.bytes} bytes, needs ${b.size * BYTES_PER_ELEMENT[b.dtype]}`,
          where,
        );
    }
  }
  const checkBinding = (list: number[], shapes: number[][], kind: BufferDecl['kind'], what: string) => {
    if (shapes.length !== list.length)
      throw new VerifyError(`${list.length} ${what} buffers but ${shapes.length} shapes`, 'program');
    list.forEach((id, i) => {
      const b = buffers.get(id);
      if (!b) throw new VerifyError(`${what} ${i} names missing buffer b${id}`, 'program');
      if (b.kind !== kind)
        throw new VerifyError(`${what} ${i} (b${id}) has kind '${b.kind}', expected '${kind}'`, 'program');
      if (numel(shapes[i]!) !== b.size)
        throw new VerifyError(
          `${what} ${i} shape [${shapes[i]!.join(',')}] does not match b${id} size ${b.size}`,
          'program',
        );
    });
  };
  checkBinding(program.inputs, program.inputShapes, 'input', 'input');
  checkBinding(program.outputs, program.outputShapes, 'output', 'output');
  const names = new Set<string>();
  for (const k of program.kernels) {
    if (!KERNEL_NAME.test(k.name) || names.has(k.name))
      throw new VerifyError('kernel names must be unique identifiers', `kernel ${JSON.stringify(k.name)}`);
    names.add(k.name);
    verifyKernel(k, buffers);
  }
  verifyProgramLiterals(program);
}

function verifyKernel(k: Kernel, buffers: Map<number, BufferDecl>): void {
  const lines = (): string[] => {
    try {
      return printKernelLines(k);
    } catch {
      return [];
    }
  };
  const fail = (reason: string, exprIndex?: number, storeIndex?: number): never => {
    const all = lines();
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
    const where = `kernel ${k.name}${exprIndex !== undefined ? ` e${exprIndex}` : storeIndex !== undefined ? ` store ${storeIndex}` : ''}`;
    throw new VerifyError(reason, where, excerpt || undefined);
  };
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
  const reduceShape = k.reduce?.shape ?? [];
  const loopsRun = numel(k.domain) > 0 && numel(reduceShape) > 0;
  const checkInBounds = (
    e: IndexExpr,
    b: BufferDecl,
    what: string,
    at: number | undefined,
    store?: number,
  ) => {
    const range = loopsRun ? affineRange(e, k.domain, reduceShape) : undefined;
    if (range && (range[0] < 0 || range[1] >= b.size)) {
      fail(
        `${what} index ranges over [${range[0]}, ${range[1]}], outside b${b.id} of size ${b.size}`,
        at,
        store,
      );
    }
  };

  k.exprs.forEach((e, i) => {
    for (const o of exprOperands(e))
      if (!(Number.isInteger(o) && o >= 0 && o < i)) fail(`operand e${o} is not an earlier expr`, i);
    const dt = (o: number): DType => k.exprs[o]!.dtype;
    checkExpr(e, i, dt, fail);
    if (e.op === 'load') {
      const b = buffer(e.buffer, i);
      if (b.dtype !== e.dtype) fail(`loads ${e.dtype} from b${b.id} of dtype ${b.dtype}`, i);
      checkIndex(e.index, i);
      for (const g of e.guard ?? []) checkIndex(g.expr, i);
      if (!e.guard?.length) checkInBounds(e.index, b, 'load', i);
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
    checkInBounds(s.index, b, 'store', undefined, j);
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
    if (c.m >= rank || c.n >= rank) fail(`contraction axes m=${c.m} n=${c.n} outside domain rank ${rank}`);
  }
}

/** Registry fact: the op's result is bool (checked for an unknown fn too: programs may be hostile). */
const isComparison = (fn: string): boolean => hasOp(fn) && getOp(fn).traits.comparison === true;

function checkExpr(
  e: ScalarExpr,
  i: number,
  dt: (o: number) => DType,
  fail: (r: string, i: number) => never,
): void {
  switch (e.op) {
    case 'unary':
      if (dt(e.a) !== e.dtype) fail(`${e.fn} of ${dt(e.a)} must have dtype ${dt(e.a)}, has ${e.dtype}`, i);
      if (e.fn === 'not' && e.dtype !== 'bool') fail('not needs a bool operand', i);
      break;
    case 'binary': {
      if (dt(e.a) !== dt(e.b))
        fail(`${e.fn} operands differ in dtype (${dt(e.a)} vs ${dt(e.b)}); lowering must cast`, i);
      const want = isComparison(e.fn) ? 'bool' : dt(e.a);
      if (e.dtype !== want) fail(`${e.fn} of ${dt(e.a)} must have dtype ${want}, has ${e.dtype}`, i);
      if ((e.fn === 'and' || e.fn === 'or') && dt(e.a) !== 'bool') fail(`${e.fn} needs bool operands`, i);
      break;
    }
    case 'where':
      if (dt(e.c) !== 'bool') fail('where condition must be bool', i);
      if (dt(e.a) !== e.dtype || dt(e.b) !== e.dtype) fail(`where branches must both be ${e.dtype}`, i);
      break;
    case 'reduce': {
      const want = e.fn === 'argmax' ? 'int32' : dt(e.a);
      if (e.dtype !== want) fail(`reduce ${e.fn} of ${dt(e.a)} must have dtype ${want}, has ${e.dtype}`, i);
      break;
    }
    case 'random':
      if (e.dtype !== 'float32' && e.dtype !== 'float16') fail('random must be float', i);
      break;
    default:
      break;
  }
}

/**
 * Exact [min, max] of an affine index over the loop domain, or undefined when the index has div/mod
 * (interval arithmetic there over-approximates, and a false error would reject a valid program).
 */
function affineRange(e: IndexExpr, domain: number[], reduce: number[]): [number, number] | undefined {
  const f = indexCoefficients(e, domain.length, reduce.length);
  if (!f) return undefined;
  let lo = f.constant;
  let hi = f.constant;
  const span = (coef: number, extent: number) => {
    const end = coef * (extent - 1);
    lo += Math.min(0, end);
    hi += Math.max(0, end);
  };
  for (const [i, c] of f.axes.entries()) span(c, domain[i]!);
  for (const [i, c] of f.raxes.entries()) span(c, reduce[i]!);
  return [lo, hi];
}
