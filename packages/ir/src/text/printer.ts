import { DTYPE_SHORT } from '../dtype.js';
import type { Graph, GraphConstant, Node, SourceLoc, TensorType } from '../graph.js';
import { formatName } from './names.js';
import { formatElement, formatNumber } from './numbers.js';

/**
 * The text form of the graph dialect, one line per value:
 *
 *   graph @f(%x: f32[4,8], %b: f32[8]) {
 *     %c0: f32[3] = const [1,2,3]
 *     %0: f32[4,8] = broadcast %b {shape=[4,8]}
 *     %1: f32[4,8] = add %x, %0 loc("model.ts":12:5) #g0
 *     return %1
 *   }
 *
 * Constants print their data inline and are numbered by position (buffer i holds constant i after
 * parsing). parseGraph reads exactly this; printGraph(parseGraph(t)) === t for printed text.
 */
export function printGraph(graph: Graph): string {
  return printGraphLines(graph).join('\n') + '\n';
}

/** The printed lines: header, one per constant, one per node, return, closing brace. */
export function printGraphLines(graph: Graph): string[] {
  const params = graph.inputs.map((i) => `%${formatName(i.id)}: ${formatType(i.type)}`).join(', ');
  return [
    `graph @${formatName(graph.name)}(${params}) {`,
    ...graph.constants.map((c) => `  ${printConstant(graph, c)}`),
    ...graph.nodes.map((n) => `  ${printNode(n)}`),
    `  return${graph.outputs.length ? ' ' : ''}${graph.outputs.map((o) => `%${formatName(o)}`).join(', ')}`,
    '}',
  ];
}

export const formatType = (t: TensorType): string => `${DTYPE_SHORT[t.dtype]}[${t.shape.join(',')}]`;

function printConstant(graph: Graph, c: GraphConstant): string {
  const data = graph.buffers[c.buffer];
  const values = data ? Array.from(data, (v) => formatElement(v, c.type.dtype)).join(',') : '';
  return `%${formatName(c.id)}: ${formatType(c.type)} = const [${values}]`;
}

export function printNode(n: Node): string {
  let line = `%${formatName(n.id)}: ${formatType(n.type)} = ${n.op}`;
  if (n.inputs.length) line += ` ${n.inputs.map((i) => `%${formatName(i)}`).join(', ')}`;
  const keys = Object.keys(n.attrs);
  if (keys.length) line += ` {${keys.map((k) => `${k}=${formatAttr(n.attrs[k])}`).join(', ')}}`;
  if (n.source) line += ` ${formatLoc(n.source)}`;
  if (n.group !== undefined) line += ` #g${n.group}`;
  return line;
}

export function formatAttr(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatAttr).join(',')}]`;
  // Attrs are numbers, booleans, strings, null and lists of those; anything else is shown as JSON.
  return JSON.stringify(v) ?? String(v);
}

function formatLoc(s: SourceLoc): string {
  const col = s.column !== undefined ? `:${s.column}` : '';
  const fn = s.fn !== undefined ? ` in ${JSON.stringify(s.fn)}` : '';
  return `loc(${JSON.stringify(s.file)}:${s.line}${col}${fn})`;
}
