import type { BufferDecl, BuiltinOpName, Graph, Kernel, KernelProgram, Node, ValueId } from '@paradox/ir';
import { decomposeOps, getOp, IR_VERSION, numel } from '@paradox/ir';
import { LoweringError } from './errors.js';
import { domainFlatIndex } from './index-builders.js';
import { KernelBuilder } from './kernel-builder.js';
import { type LoweringEnv, lowerGroup } from './lower-group.js';
import { planMemory } from './memory-plan.js';
import { LOWER_RULES, lowerRuleFor } from './op-rules.js';
import { isInlinable, liveNodes, type Partition, partitionGraph } from './partition.js';

export interface LowerOptions {
  /** Program name (defaults to the graph's). Only used in reports; renderers never embed it. */
  name?: string;
}

/**
 * Lowers a (fused) graph to a kernel program: one kernel per group (see partition.ts), graph
 * inputs and constants as buffers, every graph output in an 'output' buffer written by a kernel,
 * and temps placed in shared slots by liveness (memory-plan.ts).
 */
export function lowerGraph(input: Graph, options: LowerOptions = {}): KernelProgram {
  // Ops registered outside @paradox/ir are expanded into the ops they are defined by (decompose hook).
  const graph = decomposeOps(input);
  const nodes = liveNodes(graph);
  for (const n of nodes) {
    if (!lowerRuleFor(n.op)) throw new LoweringError(`node %${n.id}`, `op '${n.op}' has no lowering rule`);
  }
  const partition = partitionGraph(graph, nodes, operandsToMaterialize(graph, nodes));

  const buffers: BufferDecl[] = [];
  const bufferOf = new Map<ValueId, BufferDecl>();
  const declare = (decl: Omit<BufferDecl, 'id'>): BufferDecl => {
    const b = { id: buffers.length, ...decl };
    buffers.push(b);
    return b;
  };
  for (const i of graph.inputs)
    bufferOf.set(i.id, declare({ kind: 'input', dtype: i.type.dtype, size: numel(i.type.shape) }));
  const constants = graph.constants.map((c, k) => {
    bufferOf.set(
      c.id,
      declare({ kind: 'const', dtype: c.type.dtype, size: numel(c.type.shape), constant: k }),
    );
    return graph.buffers[c.buffer]!;
  });
  const outputs = new Set(graph.outputs);
  for (const g of partition.groups) {
    for (const id of g.materialized) {
      const t = partition.types.get(id)!;
      bufferOf.set(
        id,
        declare({ kind: outputs.has(id) ? 'output' : 'temp', dtype: t.dtype, size: numel(t.shape) }),
      );
    }
  }

  const env: LoweringEnv = {
    partition,
    bufferOf: (id) => bufferOf.get(id) ?? fail(partition, id),
  };
  const kernels: Kernel[] = partition.groups.map((g, i) => lowerGroup(g, env, `k${i}`));

  // Every output position gets its own output buffer written by a kernel: a repeated output, an
  // input or a constant returned as is is copied.
  const claimed = new Set<number>();
  const outputBuffers = graph.outputs.map((id) => {
    const source = bufferOf.get(id)!;
    if (source.kind === 'output' && !claimed.has(source.id)) {
      claimed.add(source.id);
      return source.id;
    }
    const t = partition.types.get(id)!;
    const copy = declare({ kind: 'output', dtype: t.dtype, size: numel(t.shape) });
    kernels.push(copyKernel(`k${kernels.length}`, t.shape, source, copy));
    return copy.id;
  });

  const plan = planMemory(buffers, kernels);
  return {
    irVersion: IR_VERSION,
    name: options.name ?? graph.name,
    buffers: plan.buffers,
    kernels,
    inputs: graph.inputs.map((i) => bufferOf.get(i.id)!.id),
    outputs: outputBuffers,
    outputShapes: graph.outputs.map((id) => [...partition.types.get(id)!.shape]),
    inputShapes: graph.inputs.map((i) => [...i.type.shape]),
    slots: plan.slots,
    constants,
  };
}

function fail(partition: Partition, id: ValueId): never {
  const owner = partition.groupOf.get(id);
  throw new LoweringError(
    owner?.label,
    `%${id} is read by another kernel but has no buffer (internal lowering error)`,
  );
}

function copyKernel(name: string, shape: number[], from: BufferDecl, to: BufferDecl): Kernel {
  const b = new KernelBuilder({ domain: shape, reduce: [] });
  const flat = b.simplify(domainFlatIndex(shape));
  const value = b.load(from.id, from.dtype, flat, []);
  return {
    name,
    kind: 'elementwise',
    domain: [...shape],
    exprs: b.exprs,
    stores: [{ buffer: to.id, index: flat, value }],
  };
}

/** Operands lowering reads as plain buffers: matmul's non-view operands and every operand of an opaque op. */
function operandsToMaterialize(graph: Graph, nodes: Node[]): Set<ValueId> {
  // Most graphs (elementwise chains) have neither: skip building the lookups below.
  if (!nodes.some((n) => getOp(n.op).traits.contraction || getOp(n.op).traits.opaque)) return new Set();
  const forced = matmulOperandsToMaterialize(graph, nodes);
  const outputs = new Set(graph.outputs);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    if (!getOp(n.op).traits.opaque) continue;
    for (const operand of n.inputs) {
      const p = byId.get(operand);
      if (p && isInlinable(p) && !outputs.has(operand)) forced.add(operand);
    }
  }
  return forced;
}

/**
 * A matmul reads its operands as plain loads (pure views of a buffer), so a backend can tile it.
 * An ungrouped operand that is not one (a pad/concat view, or a view of a constant or iota) is
 * materialized by a kernel of its own; a non-view operand computed inside the matmul's own group
 * is a fusion error.
 */
function matmulOperandsToMaterialize(graph: Graph, nodes: Node[]): Set<ValueId> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const outputs = new Set(graph.outputs);
  const inline = (n: Node) => isInlinable(n) && !outputs.has(n.id);
  const forced = new Set<ValueId>();
  for (const mm of nodes) {
    if (!getOp(mm.op).traits.contraction) continue;
    const sameKernel = (n: Node) => inline(n) || (mm.group !== undefined && n.group === mm.group);
    /** The view chain from `id` ends in a buffer and uses only affine views computed in the matmul's kernel. */
    const pureView = (id: ValueId): boolean => {
      const n = byId.get(id);
      if (!n || !sameKernel(n)) return true;
      return LOWER_RULES[n.op as BuiltinOpName].affineView === true && pureView(n.inputs[0]!);
    };
    for (const operand of mm.inputs) {
      const n = byId.get(operand);
      if (!n || pureView(operand)) continue;
      if (inline(n)) forced.add(operand);
      else {
        throw new LoweringError(
          String(mm.group),
          `matmul %${mm.id} reads %${operand} (${n.op}) computed in its own group; a matmul operand must be a view of a buffer, so its producer belongs to another group`,
        );
      }
    }
  }
  return forced;
}
