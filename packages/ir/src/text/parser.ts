import { DTYPE_FROM_SHORT, typedArrayFor } from '../dtype.js';
import { IrError, ParseError } from '../errors.js';
import type { Attrs, Graph, GraphConstant, GraphInput, Node, SourceLoc, TensorType } from '../graph.js';
import { castValue } from '../interpreter/numerics.js';
import { numel } from '../shape.js';
import { verifyGraph } from '../verifier.js';
import { Cursor } from './cursor.js';

/**
 * Parses the text form written by printGraph (see printer.ts for the grammar by example), then runs
 * verifyGraph. Syntax problems throw ParseError with line and column; semantic ones VerifyError.
 * Blank lines and `//` comment lines are ignored.
 */
export function parseGraph(text: string): Graph {
  try {
    return parseGraphText(text);
  } catch (e) {
    if (e instanceof IrError) throw e;
    // e.g. a RangeError from brackets nested thousands deep
    throw new ParseError(`could not parse: ${(e as Error)?.message ?? String(e)}`, 1, 1);
  }
}

function parseGraphText(text: string): Graph {
  if (typeof text !== 'string') throw new ParseError(`expected text, got ${typeof text}`, 1, 1);
  const lines = text.split('\n').map((l, i) => ({ text: l.replace(/\r$/, ''), line: i + 1 }));
  const body = lines.filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('//'));
  if (body.length === 0) throw new ParseError('empty input: expected `graph @name(...) {`', 1, 1);
  const header = new Cursor(body[0]!.text, body[0]!.line);
  const graph: Graph = { name: '', inputs: [], constants: [], buffers: [], nodes: [], outputs: [] };
  parseHeader(header, graph);

  let closed = false;
  let returned = false;
  for (const { text: lineText, line } of body.slice(1)) {
    const c = new Cursor(lineText, line);
    if (closed) throw c.error('text after the closing brace');
    if (c.eat('}')) {
      if (!returned) throw c.error('missing `return` before the closing brace', c.pos - 1);
      c.expectEnd();
      closed = true;
    } else if (returned) {
      throw c.error('only `}` may follow `return`');
    } else if (c.peek() === '%') {
      parseDefinition(c, graph);
    } else {
      const word = c.ident('`return` or a definition `%name: type = ...`');
      if (word !== 'return')
        throw c.error(`expected \`return\` or a definition, found '${word}'`, c.pos - word.length);
      if (!c.atEnd()) {
        do graph.outputs.push(valueRef(c));
        while (c.eat(','));
      }
      c.expectEnd();
      returned = true;
    }
  }
  if (!closed) {
    const last = body[body.length - 1]!;
    throw new ParseError('unexpected end of input: missing `}`', last.line, last.text.length + 1, last.text);
  }
  verifyGraph(graph);
  return graph;
}

function parseHeader(c: Cursor, graph: Graph): void {
  const kw = c.ident('`graph`');
  if (kw !== 'graph') throw c.error(`expected \`graph\`, found '${kw}'`, 0);
  c.expect('@');
  graph.name = c.name('a graph name');
  c.expect('(');
  graph.inputs = c.list(')', (): GraphInput => {
    const id = valueRef(c);
    c.expect(':');
    return { id, type: parseType(c) };
  });
  c.expect('{');
  c.expectEnd();
}

function valueRef(c: Cursor): string {
  c.expect('%');
  return c.name('a value name');
}

function parseType(c: Cursor): TensorType {
  c.skipSpace();
  const start = c.pos;
  const short = c.ident('a type like f32[4,8]');
  const dtype = DTYPE_FROM_SHORT[short];
  if (!dtype) throw c.error(`unknown dtype '${short}' (expected f32, f16, i32 or bool)`, start);
  c.expect('[');
  const shape = c.list(']', () => {
    c.skipSpace();
    const at = c.pos;
    const d = c.integer('a dimension');
    if (d < 0) throw c.error(`negative dimension ${d}`, at);
    return d;
  });
  return { dtype, shape };
}

function parseDefinition(c: Cursor, graph: Graph): void {
  const id = valueRef(c);
  c.expect(':');
  const type = parseType(c);
  c.expect('=');
  c.skipSpace();
  const opStart = c.pos;
  const op = c.ident('an op name');
  if (op === 'const') {
    graph.constants.push(parseConstant(c, graph, id, type, opStart));
    c.expectEnd();
    return;
  }
  const node: Node = { id, op, inputs: [], attrs: {}, type };
  if (c.peek() === '%') {
    do node.inputs.push(valueRef(c));
    while (c.eat(','));
  }
  if (c.eat('{')) node.attrs = parseAttrs(c);
  if (c.eat('loc(')) node.source = parseLoc(c);
  if (c.eat('#g')) {
    c.skipSpace();
    const at = c.pos;
    const g = c.integer('a group number');
    if (g < 0) throw c.error('group numbers are non-negative', at);
    node.group = g;
  }
  c.expectEnd();
  graph.nodes.push(node);
}

function parseConstant(c: Cursor, graph: Graph, id: string, type: TensorType, at: number): GraphConstant {
  c.expect('[');
  const values = c.list(']', () => {
    if (c.eat('true')) return 1;
    if (c.eat('false')) return 0;
    return c.number('a constant element');
  });
  if (values.length !== numel(type.shape)) {
    throw c.error(`const has ${values.length} elements, type needs ${numel(type.shape)}`, at);
  }
  const buffer = typedArrayFor(type.dtype, values.length);
  values.forEach((v, i) => {
    buffer[i] = castValue(v, type.dtype);
  });
  graph.buffers.push(buffer);
  return { id, type, buffer: graph.buffers.length - 1 };
}

function parseAttrs(c: Cursor): Attrs {
  const attrs: Attrs = {};
  c.list('}', () => {
    c.skipSpace();
    const at = c.pos;
    const key = c.ident('an attribute name');
    if (Object.hasOwn(attrs, key)) throw c.error(`attribute '${key}' given twice`, at);
    c.expect('=');
    // Defined, not assigned: a key named `__proto__` stays data instead of replacing the prototype.
    Object.defineProperty(attrs, key, {
      value: parseAttrValue(c),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return attrs;
}

function parseAttrValue(c: Cursor): unknown {
  const next = c.peek();
  if (next === '[') {
    c.expect('[');
    return c.list(']', () => parseAttrValue(c));
  }
  if (next === '"') return c.string();
  if (c.eat('true')) return true;
  if (c.eat('false')) return false;
  if (c.eat('null')) return null;
  return c.number('an attribute value');
}

function parseLoc(c: Cursor): SourceLoc {
  const file = c.string();
  c.expect(':');
  const loc: SourceLoc = { file, line: c.integer('a line number') };
  if (c.eat(':')) loc.column = c.integer('a column number');
  if (c.eat('in ')) loc.fn = c.string();
  c.expect(')');
  return loc;
}
