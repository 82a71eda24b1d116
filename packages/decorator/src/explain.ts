import type { TreeDef } from '@paradox/tracer';
import { argumentLabel, type CallSignature, leafLabels } from './signature.js';

const formatShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

function formatStatic(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  const ctor = (value as object).constructor?.name;
  return `<${ctor || 'object'} (compared by identity)>`;
}

/** The children of a call tree (an array node), or [] when it is not one. */
function topLevel(tree: TreeDef): readonly TreeDef[] {
  return tree.node.kind === 'array' ? tree.node.children : [];
}

/** Where two structures differ, as deep as they still line up (same keys / same length). */
function describeStructure(label: string, before: TreeDef, after: TreeDef): string[] {
  const a = before.node;
  const b = after.node;
  if (before.key === after.key) return [];
  if (a.kind === 'static' && b.kind === 'static') {
    return [`${label} static value ${formatStatic(a.value)} -> ${formatStatic(b.value)}`];
  }
  if (a.kind === 'object' && b.kind === 'object' && a.keys.join('\0') === b.keys.join('\0')) {
    return a.keys.flatMap((k, i) => describeStructure(`${label}.${k}`, a.children[i]!, b.children[i]!));
  }
  if (a.kind === 'array' && b.kind === 'array' && a.children.length === b.children.length) {
    return a.children.flatMap((c, i) => describeStructure(`${label}[${i}]`, c, b.children[i]!));
  }
  const hint =
    a.kind === 'leaf' && b.kind !== 'leaf' && after.numLeaves === 0
      ? ' (arrays and plain objects are pytrees, not tensors: pass tensor([...]) for a tensor)'
      : '';
  return [`${label} was ${describeTree(before)}, now ${describeTree(after)}${hint}`];
}

/** A pytree structure in words, shortened: `tensor`, `3`, `[tensor, 2]`, `{w: tensor}`. */
function shortTree(def: TreeDef, depth: number): string {
  const n = def.node;
  switch (n.kind) {
    case 'leaf':
      return 'tensor';
    case 'static':
      return formatStatic(n.value);
    case 'array':
    case 'object': {
      const size = n.children.length;
      if (depth >= 3) return n.kind === 'array' ? `[${size} items]` : `{${size} keys}`;
      const items = n.children
        .slice(0, 6)
        .map((c, i) => `${n.kind === 'object' ? `${n.keys[i]}: ` : ''}${shortTree(c, depth + 1)}`);
      const more = size > 6 ? `, … (${size} in all)` : '';
      return n.kind === 'array' ? `[${items.join(', ')}${more}]` : `{${items.join(', ')}${more}}`;
    }
  }
}

function describeTree(def: TreeDef): string {
  const kind = def.node.kind;
  if (kind === 'leaf') return 'a tensor';
  if (kind === 'static') return `the static value ${formatStatic((def.node as { value: unknown }).value)}`;
  return `${kind === 'array' ? 'an array' : 'an object'} ${shortTree(def, 0)}`;
}

/**
 * What changed from `before` (a cached signature) to `after`, one line per difference, e.g.
 * `arg 0 shape [4,8] -> [4,9]`. Empty when the signatures are equal.
 */
export function describeChanges(before: CallSignature, after: CallSignature): string[] {
  if (before.key === after.key) return [];
  const changes: string[] = [];
  const a = topLevel(before.tree);
  const b = topLevel(after.tree);
  if (a.length !== b.length) changes.push(`argument count ${a.length} -> ${b.length}`);
  const labelsA = leafLabels(before);
  let leafA = 0;
  let leafB = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const ta = a[i]!;
    const tb = b[i]!;
    if (ta.key !== tb.key) changes.push(...describeStructure(argumentLabel(i, after.receiver), ta, tb));
    else {
      for (let j = 0; j < ta.numLeaves; j++) {
        const x = before.leafTypes[leafA + j]!;
        const y = after.leafTypes[leafB + j]!;
        const label = labelsA[leafA + j]!;
        if (x.dtype !== y.dtype) changes.push(`${label} dtype ${x.dtype} -> ${y.dtype}`);
        if (formatShape(x.shape) !== formatShape(y.shape))
          changes.push(`${label} shape ${formatShape(x.shape)} -> ${formatShape(y.shape)}`);
      }
    }
    leafA += ta.numLeaves;
    leafB += tb.numLeaves;
  }
  if (changes.length === 0 && before.tree.key === after.tree.key) {
    before.aliases.forEach((was, j) => {
      const now = after.aliases[j]!;
      if (was === now) return;
      changes.push(
        now !== j
          ? `aliasing: ${labelsA[j]} is now the same tensor as ${labelsA[now]} (cached: ${was === j ? 'distinct' : `same as ${labelsA[was]}`})`
          : `aliasing: ${labelsA[j]} is no longer the same tensor as ${labelsA[was]}`,
      );
    });
  }
  return changes;
}

/** The cached signature closest to `missed` (fewest changes; the most recent on ties) and what changed. */
export function explainMiss(missed: CallSignature, cached: readonly CallSignature[]): string {
  if (cached.length === 0) return 'nothing was cached yet (first call)';
  let best: string[] | undefined;
  for (let i = cached.length - 1; i >= 0; i--) {
    const changes = describeChanges(cached[i]!, missed);
    if (best === undefined || changes.length < best.length) best = changes;
  }
  return best!.length ? best!.join('; ') : 'the signature is cached (no miss)';
}
