import {
  canonicalAttrs,
  evaluateNode,
  type Graph,
  getOp,
  type Node,
  numel,
  type OpName,
  type ValueId,
} from '@paradox/ir';
import {
  ConstantTable,
  type Pass,
  type PassContext,
  type PassResult,
  resolveReplacement,
} from '@paradox/pass-manager';
import { type Rewrite, SIMPLIFY_RULES, type SimplifyRule } from './simplify-rules.js';
import { ValueFacts } from './value-facts.js';

/** Default cap on the elements of a folded result (option `maxElements`). */
export const DEFAULT_FOLD_MAX_ELEMENTS = 1024;

/**
 * Constant folding and algebraic simplification, in one forward sweep:
 * 1. the op's simplification rule (simplify-rules.ts) may replace the node by an existing value
 *    or rewrite it in place, keeping its id and source location;
 * 2. a pure, non-creation node whose operands are all known is evaluated with the reference
 *    interpreter's rule for its op and replaced by a new constant (a new buffer entry), if its
 *    result has at most `maxElements` elements, so huge constants are never materialized.
 * Creation ops (`constant`, `full`, `iota`) and expanding ops (a broadcast) stay nodes (cheaper
 * than a buffer), but their values are known to their users when small enough. Impure ops (`random`) are never evaluated.
 * Nodes left unused are for dce to remove.
 */
export const foldPass: Pass = {
  name: 'fold',
  description: 'constant folding (reference interpreter, size-capped) and algebraic simplification',
  run(graph: Graph, ctx: PassContext): PassResult {
    const maxElements = maxElementsOption(ctx);
    const facts = new ValueFacts(graph);
    const table = new ConstantTable(graph);
    const replacements = new Map<ValueId, ValueId>();
    const nodes: Node[] = [];
    let nodesSimplified = 0;
    let nodesFolded = 0;

    for (const original of graph.nodes) {
      let node = withInputs(
        original,
        original.inputs.map((v) => resolveReplacement(replacements, v)),
      );
      const rewrite = simplify(node, facts);
      if (rewrite && 'use' in rewrite) {
        replacements.set(node.id, rewrite.use);
        nodesSimplified++;
        continue;
      }
      if (rewrite) {
        const { op, inputs, attrs } = rewrite.become;
        node = {
          ...node,
          op,
          inputs,
          attrs: canonicalAttrs(
            op,
            inputs.map((v) => facts.typeOf(v)),
            attrs,
          ),
        };
        nodesSimplified++;
      }

      const traits = getOp(node.op).traits;
      const size = numel(node.type.shape);
      const evaluable = !traits.impure && size <= maxElements && node.inputs.every((v) => facts.isKnown(v));
      if (evaluable) {
        // An expanding op (broadcast of a scalar) stays a free view: materializing it would turn
        // a register constant into a buffer every kernel streams from memory.
        const expanding = node.inputs.every((v) => numel(facts.typeOf(v).shape) < size);
        if (!traits.creation && !expanding) {
          const value = evaluateKnown(node, facts);
          const id = table.add(node.type, value.data);
          facts.setValue(id, value);
          replacements.set(node.id, id);
          nodesFolded++;
          continue;
        }
        // Creations and expansions stay nodes: their contents are computed only if a reader folds.
        // (An unnamed closure: a named one per node cost a defineProperty each under keepNames builds.)
        const evaluated = node;
        facts.setPendingValue(node.id, () => evaluateKnown(evaluated, facts));
      }
      facts.setProducer(node);
      nodes.push(node);
    }

    const stats = { nodesFolded, nodesSimplified };
    if (nodesFolded + nodesSimplified === 0) return { graph, changed: false, stats };
    return {
      graph: {
        ...graph,
        constants: table.constants,
        buffers: table.buffers,
        nodes,
        outputs: graph.outputs.map((v) => resolveReplacement(replacements, v)),
      },
      changed: true,
      stats,
    };
  },
};

/** The node evaluated by the reference interpreter on its operands' known values. */
const evaluateKnown = (node: Node, facts: ValueFacts) =>
  evaluateNode(
    node,
    node.inputs.map((v) => facts.value(v)!),
  );

function simplify(node: Node, facts: ValueFacts): Rewrite | undefined {
  const rule = SIMPLIFY_RULES[node.op as OpName] as SimplifyRule<OpName> | undefined;
  // The node's attrs are valid for its op (graphs are verified on load), so the cast is sound.
  return rule?.(node as unknown as Parameters<SimplifyRule<OpName>>[0], facts);
}

const withInputs = (node: Node, inputs: ValueId[]): Node =>
  inputs.every((v, i) => v === node.inputs[i]) ? node : { ...node, inputs };

function maxElementsOption(ctx: PassContext): number {
  const v = ctx.options.maxElements ?? DEFAULT_FOLD_MAX_ELEMENTS;
  if (typeof v !== 'number' || !(v >= 0))
    throw new TypeError(`fold: option maxElements must be a number >= 0, got ${String(v)}`);
  return v;
}
