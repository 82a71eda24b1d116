import { type Backend, UnsupportedDtypeError, UnsupportedOpError } from '@paradox/backend';
import type { Graph, Node } from '@paradox/ir';

const where = (n: Node): string =>
  `node %${n.id}${n.source ? ` at ${n.source.file}:${n.source.line}${n.source.column ? `:${n.source.column}` : ''}` : ''}`;

/**
 * Checks the optimized graph against what the backend declares (`capabilities.ops` / `dtypes`), so an
 * unsupported op is reported by its graph name and the user's call site, before lowering.
 */
export function checkGraphSupported(graph: Graph, backend: Backend): void {
  const { ops, dtypes } = backend.capabilities;
  const dtypeOk = new Set<string>(dtypes);
  for (const v of [...graph.inputs, ...graph.constants]) {
    if (!dtypeOk.has(v.type.dtype))
      throw new UnsupportedDtypeError(v.type.dtype, backend.name, `value %${v.id}`);
  }
  for (const n of graph.nodes) {
    if (!ops.has(n.op)) throw new UnsupportedOpError(n.op, backend.name, where(n));
    if (!dtypeOk.has(n.type.dtype)) throw new UnsupportedDtypeError(n.type.dtype, backend.name, where(n));
  }
}
