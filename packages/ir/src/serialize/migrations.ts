import { DTYPE_FROM_SHORT, type DType, typedArrayFor } from '../dtype.js';
import { SerializationError } from '../errors.js';
import { encodeBuffer } from './base64.js';
import { registerMigration } from './json.js';

/**
 * IR 0.x -> 1.0. The 0.x graph documents (pre-release format) differed from 1.0 in spelling:
 *   graph.params[{name, dtype: "f32", dims}]        -> graph.inputs[{id, type: {dtype: "float32", shape}}]
 *   graph.consts[{name, dtype, dims, values: [..]}] -> graph.constants + base64 graph.buffers
 *   graph.ops[{result, opcode, operands, attributes, dtype, dims}] -> graph.nodes[{id, op, inputs, attrs, type}]
 *   opcode reduce_<fn> with attributes {dims, keep}  -> op <fn> with attrs {axes, keepdims}
 *   graph.results                                    -> graph.outputs
 */
type Loose = Record<string, any>;

function fail(path: string, reason: string): never {
  throw new SerializationError(`IR 0.x document: ${reason}`, path);
}

function list(v: unknown, path: string): Loose[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  return v as Loose[];
}

function dtypeOf(short: unknown, path: string): DType {
  const d = typeof short === 'string' ? DTYPE_FROM_SHORT[short] : undefined;
  if (!d) fail(path, `unknown dtype ${JSON.stringify(short)}`);
  return d!;
}

function migrateOp(op: Loose, i: number): Loose {
  const path = `graph.ops.${i}`;
  const attrs: Loose = { ...(op.attributes ?? {}) };
  let name = op.opcode;
  if (typeof name === 'string' && name.startsWith('reduce_')) {
    name = name.slice('reduce_'.length);
    attrs.axes = attrs.dims;
    attrs.keepdims = attrs.keep;
    delete attrs.dims;
    delete attrs.keep;
  }
  return {
    id: op.result,
    op: name,
    inputs: op.operands,
    attrs,
    type: { dtype: dtypeOf(op.dtype, `${path}.dtype`), shape: op.dims },
  };
}

export function migrateV0Graph(doc: Loose): Loose {
  const g = doc.graph;
  if (!g || typeof g !== 'object') fail('graph', 'missing graph object');
  const consts = list(g.consts ?? [], 'graph.consts');
  return {
    irVersion: '1.0',
    kind: doc.kind ?? 'graph',
    graph: {
      name: g.name,
      inputs: list(g.params, 'graph.params').map((p, i) => ({
        id: p.name,
        type: { dtype: dtypeOf(p.dtype, `graph.params.${i}.dtype`), shape: p.dims },
      })),
      constants: consts.map((c, i) => ({
        id: c.name,
        type: { dtype: dtypeOf(c.dtype, `graph.consts.${i}.dtype`), shape: c.dims },
        buffer: i,
      })),
      buffers: consts.map((c, i) => {
        const values = list(c.values, `graph.consts.${i}.values`);
        const data = typedArrayFor(dtypeOf(c.dtype, `graph.consts.${i}.dtype`), values.length);
        values.forEach((v, k) => {
          if (typeof v !== 'number') fail(`graph.consts.${i}.values.${k}`, 'expected a number');
          data[k] = v;
        });
        return encodeBuffer(data);
      }),
      nodes: list(g.ops, 'graph.ops').map(migrateOp),
      outputs: g.results,
    },
  };
}

registerMigration(0, (doc) =>
  doc.kind === 'program' ? fail('kind', 'IR 0.x had no kernel programs') : migrateV0Graph(doc),
);
