import { BYTES_PER_ELEMENT, type Graph, numel, type TensorType, type ValueId } from '@paradox/ir';
import { computeProducers, type GraphFacts, inGraphOrder, isView } from './graph-facts.js';
import { externalReads } from './kernels.js';
import type { Plan } from './plan.js';

/** Why each producer/consumer pair was or was not fused, and what each kernel moves. */
export interface FusionReport {
  kernels: KernelReport[];
  decisions: FusionDecision[];
  /** Bytes every program must move at least: its inputs read once and outputs written once. */
  minimumBytes: number;
  totalBytesRead: number;
  totalBytesWritten: number;
}

export interface KernelReport {
  group: number;
  kind: 'elementwise' | 'reduce' | 'contraction';
  roots: ValueId[];
  nodes: ValueId[];
  bytesRead: number;
  bytesWritten: number;
}

export interface FusionDecision {
  producer: ValueId;
  consumer: ValueId;
  fused: boolean;
  reason: string;
}

const bytes = (t: TensorType): number => numel(t.shape) * BYTES_PER_ELEMENT[t.dtype];

export function buildReport(f: GraphFacts, plan: Plan): FusionReport {
  const typeOf = (id: ValueId): TensorType =>
    (f.nodeById.get(id) ??
      f.graph.inputs.find((i) => i.id === id) ??
      f.graph.constants.find((c) => c.id === id))!.type;
  const kernels = plan.groups.map((g, group): KernelReport => {
    const members = [...g.members].map((id) => f.nodeById.get(id)!);
    const kind = members.some((n) => f.traits(n).contraction)
      ? 'contraction'
      : members.some((n) => f.traits(n).reduction)
        ? 'reduce'
        : 'elementwise';
    return {
      group,
      kind,
      roots: g.roots,
      nodes: inGraphOrder(f, g.members),
      bytesRead: [...externalReads(f, g, plan.realized)].reduce((s, id) => s + bytes(typeOf(id)), 0),
      bytesWritten: g.roots.reduce((s, id) => s + bytes(typeOf(id)), 0),
    };
  });
  const decisions: FusionDecision[] = [];
  // Kernels each node is computed in (a cheap node inlined into several is cloned into each).
  const kernelsOf = new Map<ValueId, number[]>();
  plan.groups.forEach((g, k) => {
    for (const id of g.members) {
      const list = kernelsOf.get(id);
      if (list) list.push(k);
      else kernelsOf.set(id, [k]);
    }
  });
  // Every compute node, and every stored view (a kernel of its own: a graph output, or a view
  // split off for a backend limit), explains each producer it reads, in every kernel it is
  // computed in: no boundary is silent.
  for (const c of f.graph.nodes) {
    if (isView(f, c) && !plan.realized.has(c.id)) continue;
    const producers = computeProducers(f, c, plan.realized);
    const seen = new Set<string>();
    for (const k of kernelsOf.get(c.id) ?? [undefined]) {
      for (const p of producers) {
        const reason = plan.realized.get(p.id);
        const fused = reason === undefined || (k !== undefined && plan.groups[k]!.members.has(p.id));
        if (seen.has(`${p.id}:${fused}`)) continue;
        seen.add(`${p.id}:${fused}`);
        decisions.push(
          reason === undefined
            ? { producer: p.id, consumer: c.id, fused: true, reason: 'inlined' }
            : fused
              ? {
                  producer: p.id,
                  consumer: c.id,
                  fused: true,
                  reason: `same multi-output kernel (%${p.id}: ${reason})`,
                }
              : { producer: p.id, consumer: c.id, fused: false, reason: `%${p.id} materialized: ${reason}` },
        );
      }
    }
  }
  const minimumBytes =
    f.graph.inputs.reduce((s, i) => s + bytes(i.type), 0) +
    f.graph.outputs.reduce((s, o) => s + bytes(typeOf(o)), 0);
  return {
    kernels,
    decisions,
    minimumBytes,
    totalBytesRead: kernels.reduce((s, k) => s + k.bytesRead, 0),
    totalBytesWritten: kernels.reduce((s, k) => s + k.bytesWritten, 0),
  };
}

/** A human-readable report (paradox-opt --emit fusion-report, jit inspect()). */
export function formatFusionReport(report: FusionReport, graph?: Graph): string {
  const lines: string[] = [];
  lines.push(`fusion: ${report.kernels.length} kernel(s)${graph ? ` for @${graph.name}` : ''}`);
  for (const k of report.kernels) {
    lines.push(
      `  kernel #${k.group} ${k.kind} -> ${k.roots.map((r) => `%${r}`).join(', ')}: ` +
        `${k.nodes.length} node(s), reads ${k.bytesRead} B, writes ${k.bytesWritten} B`,
    );
  }
  const rejected = report.decisions.filter((d) => !d.fused);
  if (rejected.length) {
    lines.push('  not fused:');
    for (const d of rejected) lines.push(`    %${d.producer} -> %${d.consumer}: ${d.reason}`);
  }
  const moved = report.totalBytesRead + report.totalBytesWritten;
  lines.push(
    `  bytes moved ${moved} (minimum ${report.minimumBytes}, ${(moved / Math.max(1, report.minimumBytes)).toFixed(2)}x)`,
  );
  return lines.join('\n');
}
