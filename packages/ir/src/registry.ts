import type { $ZodIssue } from 'zod/v4/core';
import { ArityError, AttrError, OpRegistrationError, UnknownOpError } from './errors.js';
import type { Attrs, TensorType } from './graph.js';
import type { OpDef } from './op-types.js';
import { BUILTIN_OPS } from './ops/index.js';
import { checkSchema } from './schema-check.js';

/** The op registry: every op's facts, declared once. Built-ins are loaded at import. */
const registry = new Map<string, OpDef>();
for (const def of BUILTIN_OPS) registry.set(def.name, def);

/** Names the text form reserves (`const` introduces captured data). */
const RESERVED = new Set(['const', 'graph', 'return']);
const OP_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function getOp(name: string): OpDef {
  const def = registry.get(name);
  if (!def) throw new UnknownOpError(name);
  return def;
}

export const hasOp = (name: string): boolean => registry.has(name);

export const listOps = (): string[] => [...registry.keys()];

/**
 * Adds an op from outside @paradox/ir. It needs `evaluate` so the reference interpreter can run it.
 * Duplicate or malformed names are rejected.
 */
export function registerOp<A>(def: OpDef<A>): void {
  if (!OP_NAME.test(def.name) || RESERVED.has(def.name)) {
    throw new OpRegistrationError(`invalid op name '${def.name}' (identifier expected, not a reserved word)`);
  }
  if (registry.has(def.name)) throw new OpRegistrationError(`op '${def.name}' is already registered`);
  if (!def.evaluate)
    throw new OpRegistrationError(`op '${def.name}' needs an evaluate() for the reference interpreter`);
  if (def.arity !== 'variadic' && !(Number.isInteger(def.arity) && def.arity >= 0)) {
    throw new OpRegistrationError(`op '${def.name}' has invalid arity ${String(def.arity)}`);
  }
  registry.set(def.name, def as OpDef);
}

/** Removes an op added with registerOp (tests). Built-ins cannot be removed. */
export function unregisterOp(name: string): boolean {
  if (BUILTIN_OPS.some((d) => d.name === name))
    throw new OpRegistrationError(`cannot unregister built-in op '${name}'`);
  return registry.delete(name);
}

/**
 * Whether each attr schema accepts `{}`, learnt on first use: most ops (every elementwise one) take
 * no attrs, and parsing their empty attrs again per node was a large part of tracing a long chain.
 */
const acceptsEmpty = new WeakMap<object, boolean>();

function isEmptyPlainObject(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  for (const _ in x) return false;
  return true;
}

/** Validates attrs against the op's zod schema; returns them unchanged or throws AttrError naming the field. */
export function validateAttrs(op: string, attrs: unknown): Attrs {
  const def = getOp(op);
  if (def.quickAttrs?.(attrs)) return attrs as Attrs;
  if (attrs === undefined || isEmptyPlainObject(attrs)) {
    let ok = acceptsEmpty.get(def.attrs);
    if (ok === undefined) {
      ok = checkSchema(def.attrs, {}).success;
      acceptsEmpty.set(def.attrs, ok);
    }
    if (ok) return attrs as Attrs;
  }
  const r = checkSchema(def.attrs, attrs ?? {});
  if (!r.success) throw attrErrorFrom(op, r.issue);
  return attrs as Attrs;
}

function attrErrorFrom(op: string, issue: $ZodIssue): AttrError {
  const keys = (issue as { keys?: string[] }).keys;
  const field = issue.path.length > 0 ? issue.path.join('.') : keys?.length ? keys.join(',') : '(attrs)';
  return new AttrError(op, field, issue.message);
}

export function checkArity(op: string, count: number): void {
  const { arity } = getOp(op);
  if (arity === 'variadic' ? count < 1 : count !== arity) throw new ArityError(op, arity, count);
}

/**
 * Checks arity and attrs, then runs the op's type rule. Throws UnknownOpError, ArityError, AttrError,
 * ShapeError or DTypeError.
 */
export function inferNodeType(op: string, inputs: TensorType[], attrs: Attrs): TensorType {
  const def = getOp(op);
  checkArity(op, inputs.length);
  validateAttrs(op, attrs);
  return def.inferType(inputs, attrs);
}

/** The canonical attrs for valid (op, inputs, attrs): what GraphBuilder stores and the verifier expects. */
export function canonicalAttrs(op: string, inputs: TensorType[], attrs: Attrs): Attrs {
  const def = getOp(op);
  return def.canonicalize ? (def.canonicalize(inputs, attrs) as Attrs) : attrs;
}
