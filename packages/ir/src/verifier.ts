import { DTYPES, type DType, typedArrayFor } from './dtype.js';
import { IrError, VerifyError } from './errors.js';
import type { Graph, TensorType, ValueId } from './graph.js';
import { badBoolElement, literalProblem } from './literal.js';
import { canonicalAttrs, checkArity, getOp, hasOp, validateAttrs } from './registry.js';
import { formatShape, numel, shapesEqual } from './shape.js';
import { formatType, printGraphLines } from './text/printer.js';

/**
 * Checks every invariant of the graph dialect: unique SSA ids defined before use (so nodes are in
 * topological order), known ops with the right arity, valid and canonical attrs, node types equal to
 * the registry's inference, constants backed by buffers of the right storage and length, outputs defined.
 * Throws VerifyError naming the value and showing the printed graph around it.
 */
export function verifyGraph(graph: Graph): void {
  const fail = (where: string, reason: string, line?: number): never => {
    throw new VerifyError(reason, where, line === undefined ? undefined : excerpt(graph, line));
  };
  if (!graph || typeof graph !== 'object') fail('graph', 'not a graph object');
  for (const field of ['inputs', 'constants', 'buffers', 'nodes', 'outputs'] as const) {
    if (!Array.isArray(graph[field])) fail(`graph @${graph.name}`, `'${field}' must be an array`);
  }
  const types = new Map<ValueId, TensorType>();
  const define = (id: ValueId, type: TensorType, where: string, line?: number) => {
    if (typeof id !== 'string' || id.length === 0) fail(where, 'value id must be a non-empty string', line);
    if (types.has(id)) fail(where, `value %${id} is defined more than once`, line);
    const bad = typeProblem(type);
    if (bad) fail(where, bad, line);
    types.set(id, type);
  };

  graph.inputs.forEach((input) => {
    define(input.id, input.type, `input %${input.id}`, 0);
  });
  graph.constants.forEach((c, i) => {
    const line = 1 + i;
    const where = `constant %${c.id}`;
    define(c.id, c.type, where, line);
    const buf = graph.buffers[c.buffer];
    if (!Number.isInteger(c.buffer) || !buf)
      fail(where, `buffer ${c.buffer} does not exist (${graph.buffers.length} buffers)`, line);
    const storage = typedArrayFor(c.type.dtype, 0).constructor;
    if (buf!.constructor !== storage)
      fail(
        where,
        `buffer ${c.buffer} is a ${buf!.constructor.name}, ${c.type.dtype} needs ${storage.name}`,
        line,
      );
    if (buf!.length !== numel(c.type.shape)) {
      fail(
        where,
        `buffer ${c.buffer} has ${buf!.length} elements, ${formatType(c.type)} needs ${numel(c.type.shape)}`,
        line,
      );
    }
    const bad = badBoolElement(c.type.dtype, buf!);
    if (bad >= 0) fail(where, `element ${bad} is ${buf![bad]}, not a bool value (0 or 1)`, line);
  });

  graph.nodes.forEach((node, i) => {
    const line = 1 + graph.constants.length + i;
    const where = `node %${node.id} (${node.op})`;
    if (typeof node.op !== 'string' || !hasOp(node.op)) fail(where, `unknown op '${node.op}'`, line);
    if (!Array.isArray(node.inputs)) fail(where, 'inputs must be an array', line);
    const inTypes = node.inputs.map((id) => {
      const t = types.get(id);
      if (!t) fail(where, `operand %${id} is not defined before this node`, line);
      return t!;
    });
    try {
      checkArity(node.op, inTypes.length);
      validateAttrs(node.op, node.attrs);
      const inferred = getOp(node.op).inferType(inTypes, node.attrs);
      if (inferred.dtype !== node.type?.dtype || !shapesEqual(inferred.shape, node.type?.shape ?? [])) {
        fail(
          where,
          `declared type ${formatType(node.type)} but the op's type rule gives ${formatType(inferred)}`,
          line,
        );
      }
      const canonical = canonicalAttrs(node.op, inTypes, node.attrs);
      if (!deepEqual(canonical, node.attrs)) {
        fail(where, `attrs are not canonical: expected ${JSON.stringify(canonical)}`, line);
      }
    } catch (e) {
      if (e instanceof VerifyError) throw e;
      if (e instanceof IrError) fail(where, e.message, line);
      throw e;
    }
    // A `value` attr (constant, full, pad) is a literal of the node's dtype: one rule, no backend converts it.
    const literal = (node.attrs as { value?: unknown } | undefined)?.value;
    const problem = literal === undefined ? undefined : literalProblem(literal, node.type.dtype);
    if (problem) fail(where, `value ${problem}`, line);
    if (node.group !== undefined && !(Number.isInteger(node.group) && node.group >= 0)) {
      fail(where, `group must be a non-negative integer, got ${node.group}`, line);
    }
    define(node.id, node.type, where, line);
  });

  const returnLine = 1 + graph.constants.length + graph.nodes.length;
  for (const o of graph.outputs) {
    if (!types.has(o)) fail('return', `output %${o} is not defined`, returnLine);
  }
}

function typeProblem(t: TensorType): string | undefined {
  if (!t || typeof t !== 'object') return 'missing type';
  if (!DTYPES.includes(t.dtype as DType)) return `unknown dtype '${String(t.dtype)}'`;
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    return `invalid shape ${Array.isArray(t.shape) ? formatShape(t.shape) : String(t.shape)}`;
  }
  return undefined;
}

/** Printed graph lines around `line`, the faulty one marked with `>`. Empty when the graph cannot be printed. */
function excerpt(graph: Graph, line: number, context = 2): string | undefined {
  let lines: string[];
  try {
    lines = printGraphLines(graph);
  } catch {
    return undefined;
  }
  const from = Math.max(0, line - context);
  const to = Math.min(lines.length, line + context + 1);
  return lines
    .slice(from, to)
    .map((l, k) => `${from + k === line ? '>' : ' '} ${l}`)
    .join('\n');
}

/** Structural equality of attr values (key order ignored, NaN equal to NaN). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}
