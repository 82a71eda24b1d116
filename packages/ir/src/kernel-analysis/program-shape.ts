import { DTYPES, typedArrayFor } from '../dtype.js';
import { VerifyError } from '../errors.js';
import type { KernelProgram } from '../kernel.js';
import { BINARY_OPS, UNARY_OPS } from '../op-types.js';
import { IR_MAJOR, parseVersion } from '../version.js';
import { IndexShapeChecker } from './index-shape.js';

/**
 * Structural check of a kernel program given as an arbitrary value (a compile() caller may pass
 * anything): every field exists with the right type, integers are safe integers (no NaN, Infinity
 * or fractions where the dialect needs an integer), ops and enums are known, index expressions are
 * finite trees. Throws VerifyError naming the field; afterwards the value may be read as a
 * KernelProgram. The semantic checks (references, dtypes, ranges) are verify-program.ts's.
 */
export function checkProgramShape(value: unknown): asserts value is KernelProgram {
  const p = record(value, 'program');
  if (typeof p.name !== 'string') fail('program', 'name must be a string');
  if (typeof p.irVersion !== 'string' || parseVersion(p.irVersion)?.major !== IR_MAJOR)
    fail('program.irVersion', `must be a version of IR major ${IR_MAJOR}, got ${describe(p.irVersion)}`);
  const buffers = each(p.buffers, 'program.buffers', checkBuffer);
  for (const field of ['inputs', 'outputs'] as const) each(p[field], `program.${field}`, nat);
  for (const field of ['inputShapes', 'outputShapes'] as const)
    each(p[field], `program.${field}`, (shape, at) => each(shape, at, nat));
  list(p.slots, 'program.slots').forEach((s, i) => {
    const slot = record(s, `program.slots[${i}]`);
    nat(slot.id, `program.slots[${i}].id`);
    nat(slot.bytes, `program.slots[${i}].bytes`);
  });
  const constants = list(p.constants, 'program.constants');
  constants.forEach((c, i) => {
    if (!ArrayBuffer.isView(c) || !HOST_ARRAYS.some((k) => c instanceof k))
      fail(`program.constants[${i}]`, 'must be a Float32Array, Int32Array or Uint8Array');
  });
  const indices = new IndexShapeChecker();
  list(p.kernels, 'program.kernels').forEach((k, i) => {
    checkKernel(k, i, indices);
  });
  // Constants must be stored in their buffer's host array type.
  for (const b of buffers as { dtype: (typeof DTYPES)[number]; kind: string; constant?: number }[]) {
    const data =
      b.kind === 'const' && b.constant !== undefined
        ? (constants[b.constant] as object | undefined)
        : undefined;
    if (data && data.constructor !== typedArrayFor(b.dtype, 0).constructor)
      fail(`program.constants[${b.constant}]`, `holds ${data.constructor.name}, buffer dtype is ${b.dtype}`);
  }
}

const HOST_ARRAYS = [Float32Array, Int32Array, Uint8Array];
const DTYPE_SET = new Set<unknown>(DTYPES);
const BUFFER_KINDS = new Set<unknown>(['input', 'output', 'temp', 'const']);
const KERNEL_KINDS = new Set<unknown>(['elementwise', 'reduce', 'contraction']);
const UNARY = new Set<unknown>(UNARY_OPS);
const BINARY = new Set<unknown>(BINARY_OPS);
const REDUCE_FNS = new Set<unknown>(['sum', 'prod', 'max', 'min', 'argmax']);
const DISTRIBUTIONS = new Set<unknown>(['uniform', 'normal']);
const KERNEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PHASES = new Set<unknown>(['domain', 'reduction']);

type Fields = Record<string, unknown>;

function fail(where: string, reason: string): never {
  throw new VerifyError(reason, where);
}

function record(v: unknown, where: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be an object');
  return v as Fields;
}

/** Calls `check` on every element of the array `v` with its location. */
function each(v: unknown, where: string, check: (item: unknown, at: string) => void): unknown[] {
  const items = list(v, where);
  for (let i = 0; i < items.length; i++) check(items[i], `${where}[${i}]`);
  return items;
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) fail(where, 'must be an array');
  return v;
}

function nat(v: unknown, where: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0)
    fail(where, `must be a non-negative integer, got ${describe(v)}`);
  return v as number;
}

function oneOf(v: unknown, allowed: ReadonlySet<unknown>, where: string): void {
  if (!allowed.has(v)) fail(where, `unknown value ${describe(v)}`);
}

/** A short, safe description of a bad value for messages (never the whole value). */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

function checkBuffer(v: unknown, where: string): void {
  const b = record(v, where);
  nat(b.id, `${where}.id`);
  oneOf(b.dtype, DTYPE_SET, `${where}.dtype`);
  nat(b.size, `${where}.size`);
  oneOf(b.kind, BUFFER_KINDS, `${where}.kind`);
  if (b.slot !== undefined) nat(b.slot, `${where}.slot`);
  if (b.constant !== undefined) nat(b.constant, `${where}.constant`);
}

function checkKernel(v: unknown, i: number, indices: IndexShapeChecker): void {
  const k = record(v, `kernel #${i}`);
  const where = typeof k.name === 'string' && KERNEL_NAME.test(k.name) ? `kernel ${k.name}` : `kernel #${i}`;
  if (typeof k.name !== 'string') fail(`${where}.name`, 'must be a string');
  oneOf(k.kind, KERNEL_KINDS, `${where}.kind`);
  each(k.domain, `${where}.domain`, nat);
  if (k.reduce !== undefined) {
    const r = record(k.reduce, `${where}.reduce`);
    each(r.shape, `${where}.reduce.shape`, nat);
  }
  list(k.exprs, `${where}.exprs`).forEach((e, j) => {
    checkExpr(e, `${where} e${j}`, indices);
  });
  list(k.stores, `${where}.stores`).forEach((s, j) => {
    const at = `${where} store ${j}`;
    const store = record(s, at);
    nat(store.buffer, `${at}.buffer`);
    nat(store.value, `${at}.value`);
    indices.check(store.index, `${at}.index`);
    if (store.phase !== undefined) oneOf(store.phase, PHASES, `${at}.phase`);
  });
  if (k.contraction !== undefined) {
    const c = record(k.contraction, `${where}.contraction`);
    for (const f of ['lhs', 'rhs', 'acc', 'm', 'n']) nat(c[f], `${where}.contraction.${f}`);
  }
  if (k.sourceNodes !== undefined)
    list(k.sourceNodes, `${where}.sourceNodes`).forEach((s, j) => {
      if (typeof s !== 'string') fail(`${where}.sourceNodes[${j}]`, 'must be a string');
    });
}

function checkBounds(v: unknown, where: string, indices: IndexShapeChecker): void {
  list(v, where).forEach((g, j) => {
    const bound = record(g, `${where}[${j}]`);
    indices.check(bound.expr, `${where}[${j}].expr`);
    for (const f of ['lo', 'hi'])
      if (!Number.isSafeInteger(bound[f]))
        fail(`${where}[${j}].${f}`, `must be an integer, got ${describe(bound[f])}`);
  });
}

function checkNumber(e: Record<string, unknown>, f: string, where: string): void {
  if (typeof e[f] !== 'number') fail(`${where}.${f}`, `must be a number, got ${describe(e[f])}`);
}

function checkExpr(v: unknown, where: string, indices: IndexShapeChecker): void {
  const e = record(v, where);
  oneOf(e.dtype, DTYPE_SET, `${where}.dtype`);
  switch (e.op) {
    case 'load':
      nat(e.buffer, `${where}.buffer`);
      indices.check(e.index, `${where}.index`);
      if (e.guard !== undefined) checkBounds(e.guard, `${where}.guard`, indices);
      if (e.other !== undefined) checkNumber(e, 'other', where);
      if (e.dynamic !== undefined) {
        const d = record(e.dynamic, `${where}.dynamic`);
        for (const f of ['value', 'extent', 'stride']) nat(d[f], `${where}.dynamic.${f}`);
      }
      return;
    case 'const':
      checkNumber(e, 'value', where);
      return;
    case 'index':
      if (e.dtype !== 'int32') fail(`${where}.dtype`, 'an index expr is int32');
      indices.check(e.index, `${where}.index`);
      return;
    case 'inbounds':
      if (e.dtype !== 'bool') fail(`${where}.dtype`, 'an inbounds expr is bool');
      checkBounds(e.guards, `${where}.guards`, indices);
      return;
    case 'unary':
      oneOf(e.fn, UNARY, `${where}.fn`);
      nat(e.a, `${where}.a`);
      return;
    case 'binary':
      oneOf(e.fn, BINARY, `${where}.fn`);
      nat(e.a, `${where}.a`);
      nat(e.b, `${where}.b`);
      return;
    case 'where':
      for (const f of ['c', 'a', 'b']) nat(e[f], `${where}.${f}`);
      return;
    case 'cast':
      nat(e.a, `${where}.a`);
      return;
    case 'random':
      if (nat(e.seed, `${where}.seed`) > 0xffffffff) fail(`${where}.seed`, 'must fit in 32 bits');
      indices.check(e.index, `${where}.index`);
      oneOf(e.distribution, DISTRIBUTIONS, `${where}.distribution`);
      return;
    case 'reduce':
      oneOf(e.fn, REDUCE_FNS, `${where}.fn`);
      nat(e.a, `${where}.a`);
      return;
    default:
      fail(`${where}.op`, `unknown expr op ${describe(e.op)}`);
  }
}
