import type { Graph } from '../graph.js';
import { verifyGraph } from '../verifier.js';
import { IR_VERSION } from '../version.js';
import { decodeBuffer, encodeBuffer } from './base64.js';
import { loadDocument, toJson, typedErrorsOnly } from './json.js';
import { graphDocSchema } from './schema.js';
import './migrations.js';

/** Graph -> JSON text: `{ irVersion, kind: 'graph', graph }` with constant buffers base64-encoded. */
export function serializeGraph(graph: Graph): string {
  return toJson({
    irVersion: IR_VERSION,
    kind: 'graph',
    graph: { ...graph, buffers: graph.buffers.map(encodeBuffer) },
  });
}

/**
 * JSON text (or a parsed document) -> Graph. Runs version checks and migrations, the zod schema, and
 * verifyGraph: the result is a valid graph or a typed error (SerializationError, VersionError, VerifyError).
 */
export function deserializeGraph(json: unknown): Graph {
  return typedErrorsOnly(() => loadGraph(json));
}

function loadGraph(json: unknown): Graph {
  const doc = loadDocument(json, 'graph', graphDocSchema);
  const g = doc.graph;
  const graph: Graph = {
    name: g.name,
    inputs: g.inputs,
    constants: g.constants,
    buffers: g.buffers.map((b, i) => decodeBuffer(b, `graph.buffers.${i}`)),
    nodes: g.nodes.map((n) => ({
      id: n.id,
      op: n.op,
      inputs: n.inputs,
      attrs: n.attrs,
      type: n.type,
      ...(n.source ? { source: n.source } : {}),
      ...(n.group !== undefined ? { group: n.group } : {}),
    })),
    outputs: g.outputs,
  };
  verifyGraph(graph);
  return graph;
}
