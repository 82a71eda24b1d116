import type { BuiltinOpName, IndexExpr, Node, OpName, ValueId } from '@paradox/ir';
import { numel } from '@paradox/ir';
import { LoweringError } from './errors.js';
import { domainIndex } from './index-builders.js';
import { LOWER_RULES, type LowerRule, type ReductionShape } from './op-rules.js';
import type { KernelGroup, Partition } from './partition.js';

/** The loops of a group's kernel. */
export interface GroupShape {
  domain: number[];
  reduce?: number[];
  /** For reduction groups: the reduced operand's shape and its index at (domain point, raxis). */
  reductionInput?: { shape: number[]; index: IndexExpr[] };
}

const ruleOf = (n: Node): LowerRule<OpName> => LOWER_RULES[n.op as BuiltinOpName] as LowerRule<OpName>;
const fmt = (shape: readonly number[]) => `[${shape.join(',')}]`;

/**
 * The group validity check: decides the kernel's loops and rejects groups fusion should not have
 * formed, naming the group and the reason. A group may hold at most one reduction loop (all its
 * reductions share operand shape and axes, or it is a single matmul), no reduction may read
 * another reduction of the group (one pass over the reduction domain), and every stored value
 * must cover the domain (or, in a reduction group, the reduced operand) element for element.
 */
export function checkGroup(group: KernelGroup, partition: Partition): GroupShape {
  const reducers = group.nodes.filter((n) => ruleOf(n).reduction);
  const shapes = reducers.map((n) => ({ node: n, shape: reductionOf(n, partition) }));
  const first = shapes[0];
  for (const other of shapes.slice(1)) {
    if (other.shape.signature !== first!.shape.signature) {
      throw new LoweringError(
        group.label,
        `two reductions with different shapes in one group: %${first!.node.id} is a ${first!.shape.signature}, %${other.node.id} is a ${other.shape.signature}`,
      );
    }
  }
  for (const { node } of shapes) {
    const upstream = reducerUpstream(node, group, partition);
    if (upstream) {
      throw new LoweringError(
        group.label,
        `%${node.id} (${node.op}) reads %${upstream.id} (${upstream.op}) of the same group; dependent reductions need two passes, so they must be separate kernels`,
      );
    }
  }
  const shape: GroupShape = first
    ? {
        domain: [...first.node.type.shape],
        reduce: first.shape.shape,
        ...(first.shape.operand
          ? {
              reductionInput: {
                shape: first.shape.operand.shape,
                index: first.shape.operand.indexAt(domainIndex(first.node.type.shape)),
              },
            }
          : {}),
      }
    : { domain: [...partition.nodeById.get(group.materialized[0]!)!.type.shape] };
  for (const id of group.materialized) checkStoredSize(group, shape, id, partition);
  return shape;
}

function reductionOf(n: Node, partition: Partition): ReductionShape {
  const inputTypes = n.inputs.map((i) => partition.types.get(i)!);
  return ruleOf(n).reduction!(n.attrs as never, inputTypes);
}

/** A reducing node of the same group that `node`'s operand depends on (looking through inlined nodes). */
function reducerUpstream(node: Node, group: KernelGroup, partition: Partition): Node | undefined {
  const seen = new Set<ValueId>();
  const stack = [...node.inputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = partition.nodeById.get(id);
    if (!n || !(partition.inline.has(id) || partition.groupOf.get(id) === group)) continue;
    if (ruleOf(n).reduction) return n;
    stack.push(...n.inputs);
  }
  return undefined;
}

function checkStoredSize(group: KernelGroup, shape: GroupShape, id: ValueId, partition: Partition): void {
  const size = numel(partition.nodeById.get(id)!.type.shape);
  if (size === numel(shape.domain)) return;
  if (shape.reductionInput && size === numel(shape.reductionInput.shape)) return;
  const perPoint = shape.reductionInput ? ` or the reduced operand ${fmt(shape.reductionInput.shape)}` : '';
  throw new LoweringError(
    group.label,
    `%${id} is stored by the group but its ${size} elements match neither the kernel domain ${fmt(shape.domain)}${perPoint}`,
  );
}
