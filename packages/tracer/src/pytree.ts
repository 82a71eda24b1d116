import { PytreeError } from './errors.js';
import { setOwn } from './own-fields.js';
import { Tensor } from './tensor.js';

/**
 * Pytrees: arrays and plain objects nested to any depth, with tensors at the leaves. Everything else
 * (numbers, strings, class instances, functions...) is a static value carried in the structure, so two
 * calls with different static values have different structures (and jit keys).
 */

type Node =
  | { kind: 'leaf' }
  | { kind: 'static'; value: unknown }
  | { kind: 'array'; children: TreeDef[] }
  | { kind: 'object'; keys: string[]; children: TreeDef[] };

/** Identity numbers for static objects, so structures holding them hash by identity. */
const staticIds = new WeakMap<WeakKey, number>();
let nextStaticId = 0;

function staticKey(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'n:-0' : `n:${value}`;
    case 'string':
      return `s:${JSON.stringify(value)}`;
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return `${typeof value}:${String(value)}`;
    case 'symbol': {
      // By identity, like objects: two symbols with one description are different values.
      const registered = Symbol.keyFor(value);
      return registered !== undefined ? `sym.for:${JSON.stringify(registered)}` : `sym:${identity(value)}`;
    }
    default:
      return value === null ? 'null' : `ref:${identity(value as object)}`;
  }
}

function identity(value: WeakKey): number {
  let id = staticIds.get(value);
  if (id === undefined) {
    id = nextStaticId++;
    staticIds.set(value, id);
  }
  return id;
}

/**
 * The shape of a pytree without its leaves. `key` is a canonical string: two structures are equal
 * exactly when their keys are equal, so it can key caches directly.
 */
export class TreeDef {
  readonly key: string;
  readonly numLeaves: number;

  private constructor(readonly node: Node) {
    switch (node.kind) {
      case 'leaf':
        this.key = '*';
        this.numLeaves = 1;
        break;
      case 'static':
        this.key = `=${staticKey(node.value)}`;
        this.numLeaves = 0;
        break;
      case 'array':
        this.key = `[${node.children.map((c) => c.key).join(',')}]`;
        this.numLeaves = node.children.reduce((n, c) => n + c.numLeaves, 0);
        break;
      case 'object':
        this.key = `{${node.keys.map((k, i) => `${JSON.stringify(k)}:${node.children[i]!.key}`).join(',')}}`;
        this.numLeaves = node.children.reduce((n, c) => n + c.numLeaves, 0);
        break;
    }
  }

  static leaf(): TreeDef {
    return new TreeDef({ kind: 'leaf' });
  }
  static static(value: unknown): TreeDef {
    return new TreeDef({ kind: 'static', value });
  }
  static array(children: TreeDef[]): TreeDef {
    return new TreeDef({ kind: 'array', children });
  }
  static object(keys: string[], children: TreeDef[]): TreeDef {
    return new TreeDef({ kind: 'object', keys, children });
  }

  equals(other: TreeDef): boolean {
    return this.key === other.key;
  }

  toString(): string {
    return this.key;
  }
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

/** Deepest nesting of arrays/objects a pytree may have (deeper ones get a PytreeError, not a stack overflow). */
export const MAX_PYTREE_DEPTH = 1000;

/** Flattens a pytree into its leaves (depth-first; object keys sorted) and its structure. */
export function flattenTree<L = Tensor>(
  tree: unknown,
  isLeaf: (x: unknown) => x is L = isTensor as (x: unknown) => x is L,
): { leaves: L[]; treedef: TreeDef } {
  const leaves: L[] = [];
  const seen = new Set<object>();
  const visit = (x: unknown, depth: number): TreeDef => {
    if (isLeaf(x)) {
      leaves.push(x);
      return TreeDef.leaf();
    }
    if (Array.isArray(x) || isPlainObject(x)) {
      if (seen.has(x))
        throw new PytreeError('pytree contains a cycle (an array or object that contains itself)');
      if (depth >= MAX_PYTREE_DEPTH)
        throw new PytreeError(`pytree is nested deeper than ${MAX_PYTREE_DEPTH} arrays/objects`);
      seen.add(x);
      const def = Array.isArray(x)
        ? TreeDef.array(x.map((c) => visit(c, depth + 1)))
        : (() => {
            const keys = Object.keys(x).sort();
            return TreeDef.object(
              keys,
              keys.map((k) => visit(x[k], depth + 1)),
            );
          })();
      seen.delete(x);
      return def;
    }
    return TreeDef.static(x);
  };
  const treedef = visit(tree, 0);
  return { leaves, treedef };
}

/** Rebuilds a pytree of `treedef`'s structure from `leaves` (in flattenTree's order). */
export function unflattenTree<L>(treedef: TreeDef, leaves: readonly L[]): unknown {
  if (leaves.length !== treedef.numLeaves) {
    throw new PytreeError(
      `unflattenTree: structure ${treedef.key} has ${treedef.numLeaves} leaves, got ${leaves.length}`,
    );
  }
  let next = 0;
  const build = (def: TreeDef): unknown => {
    const node = def.node;
    switch (node.kind) {
      case 'leaf':
        return leaves[next++];
      case 'static':
        return node.value;
      case 'array':
        return node.children.map(build);
      case 'object': {
        const out: Record<string, unknown> = {};
        node.keys.forEach((k, i) => {
          setOwn(out, k, build(node.children[i]!));
        });
        return out;
      }
    }
  };
  return build(treedef);
}

/** Path of every leaf, e.g. ['params', 'w'] or [0, 1]; used to name graph inputs after the user's structure. */
export function leafPaths(treedef: TreeDef): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (def: TreeDef, path: (string | number)[]): void => {
    const node = def.node;
    if (node.kind === 'leaf') out.push(path);
    else if (node.kind !== 'static') {
      node.children.forEach((child, i) => {
        walk(child, [...path, node.kind === 'array' ? i : node.keys[i]!]);
      });
    }
  };
  walk(treedef, []);
  return out;
}
