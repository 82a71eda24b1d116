import { type Graph, type GraphConstant, getOp, type Node, type TypedArray, type ValueId } from '@paradox/ir';
import { type Pass, type PassResult, replaceAllUses } from '@paradox/pass-manager';
import { canonicalKey } from './canonical-key.js';

/**
 * Common-subexpression elimination. Two nodes merge when they have the same op, attrs (compared
 * canonically), result type, fusion group (if any) and operands, where operands of a
 * `commutative` op (registry trait) are compared as a multiset. Two constants merge when dtype,
 * shape and bytes are identical (bitwise, so -0 and 0, or NaN payloads, stay apart).
 * Impure ops (`random`) never merge: two draws are two values even if spelled the same.
 * The first occurrence survives, keeping its source location; later ones are redirected to it.
 */
export const csePass: Pass = {
  name: 'cse',
  description: 'merge structurally identical nodes and identical constants (impure ops never merge)',
  run(graph: Graph): PassResult {
    const replacements = new Map<ValueId, ValueId>();
    mergeConstants(graph.constants, graph.buffers, replacements);
    const constantsMerged = replacements.size;

    // Nodes with operands are looked up among the earlier nodes sharing their first operand (a few
    // users each), compared field by field; only nodes without operands are keyed by text.
    const seen = new Map<string, ValueId>();
    const byOperand = new Map<ValueId, Candidate[]>();
    for (const node of graph.nodes) {
      const def = getOp(node.op);
      if (def.traits.impure) continue;
      const inputs = resolvedInputs(node, def.traits.commutative === true, replacements);
      if (inputs.length === 0) {
        const key = nodeKey(node, inputs);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, node.id);
        else replacements.set(node.id, first);
        continue;
      }
      const candidate: Candidate = { node, inputs, attrs: undefined };
      const bucket = byOperand.get(inputs[0]!);
      const first = bucket?.find((c) => sameNode(c, candidate));
      if (first !== undefined) replacements.set(node.id, first.node.id);
      else if (bucket === undefined) byOperand.set(inputs[0]!, [candidate]);
      else bucket.push(candidate);
    }

    const stats = { nodesMerged: replacements.size - constantsMerged, constantsMerged };
    if (replacements.size === 0) return { graph, changed: false, stats };
    const rewritten = replaceAllUses(graph, replacements);
    // Merged constants are dropped here; their buffers stay in the table until dce compacts it.
    return {
      graph: { ...rewritten, constants: graph.constants.filter((c) => !replacements.has(c.id)) },
      changed: true,
      stats,
    };
  },
};

/** A node as CSE compares it: operands through earlier merges (sorted if commutative), attrs keyed lazily. */
interface Candidate {
  node: Node;
  inputs: ValueId[];
  attrs: string | undefined;
}

function resolvedInputs(
  node: Node,
  commutative: boolean,
  replacements: ReadonlyMap<ValueId, ValueId>,
): ValueId[] {
  // Operands are looked up through earlier merges, so chains of duplicates collapse in one sweep.
  const inputs = node.inputs.map((v) => replacements.get(v) ?? v);
  if (commutative) inputs.sort();
  return inputs;
}

const attrsKey = (c: Candidate): string => {
  c.attrs ??= canonicalKey(c.node.attrs);
  return c.attrs;
};

/** Whether nodeKey would spell `a` and `b` the same: op, operands, attrs, type and fusion group. */
function sameNode(a: Candidate, b: Candidate): boolean {
  const x = a.node;
  const y = b.node;
  if (x.op !== y.op || x.group !== y.group || x.type.dtype !== y.type.dtype) return false;
  if (a.inputs.length !== b.inputs.length || !a.inputs.every((v, i) => v === b.inputs[i])) return false;
  const sx = x.type.shape;
  const sy = y.type.shape;
  if (sx.length !== sy.length || !sx.every((d, i) => d === sy[i])) return false;
  return attrsKey(a) === attrsKey(b);
}

function nodeKey(node: Node, inputs: readonly ValueId[]): string {
  // Each operand spelled with its length first: unambiguous whatever characters an id holds.
  let operands = '';
  for (const v of inputs) operands += `${v.length}:${v},`;
  const type = `${node.type.dtype}[${node.type.shape.join(',')}]`;
  // Fusion clones cheap nodes into each kernel on purpose: never merge across fusion groups.
  const group = node.group === undefined ? '' : `@${node.group}`;
  return `${node.op}(${operands})${canonicalKey(node.attrs)}:${type}${group}`;
}

/** Records, for every constant identical to an earlier one, a replacement by that earlier one. */
function mergeConstants(
  constants: readonly GraphConstant[],
  buffers: readonly TypedArray[],
  replacements: Map<ValueId, ValueId>,
): void {
  const byContent = new Map<string, GraphConstant[]>();
  for (const c of constants) {
    const bytes = bytesOf(buffers[c.buffer]!);
    const key = `${c.type.dtype}[${c.type.shape.join(',')}]#${contentHash(bytes)}`;
    const candidates = byContent.get(key) ?? [];
    // The hash only narrows the search; equality is decided on the bytes.
    const same = candidates.find(
      (d) => d.buffer === c.buffer || bytesEqual(bytesOf(buffers[d.buffer]!), bytes),
    );
    if (same) replacements.set(c.id, same.id);
    else byContent.set(key, [...candidates, c]);
  }
}

const bytesOf = (a: TypedArray): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over the bytes. */
function contentHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
