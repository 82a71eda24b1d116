import { setOwn, type Tensor, type TreeDef } from '@paradox/tracer';

/**
 * A call as one pytree: `[...args]`, or `[state, ...args]` for methods, where `state` holds the
 * receiver's own enumerable fields. Values declared static are boxed so that the pytree keys them by
 * identity (tensors and objects) instead of flattening them; primitives key by value anyway.
 */
export interface CallSpec {
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  /** Argument positions declared static. */
  readonly staticArgs: ReadonlySet<number>;
  /** For methods: the receiver's fields declared static. */
  readonly receiver?: { readonly staticFields: ReadonlySet<string> };
}

/** An opaque static value. One box per object, so the box's identity is the object's identity. */
export class StaticBox {
  constructor(readonly value: unknown) {}
}

const boxes = new WeakMap<object, StaticBox>();

function box(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  let b = boxes.get(value);
  if (!b) {
    b = new StaticBox(value);
    boxes.set(value, b);
  }
  return b;
}

export const unbox = (value: unknown): unknown => (value instanceof StaticBox ? value.value : value);

/** The receiver's own enumerable fields as a plain object (static fields boxed). */
export function receiverState(self: object, staticFields: ReadonlySet<string>): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(self)) {
    const value = (self as Record<string, unknown>)[key];
    setOwn(state, key, staticFields.has(key) ? box(value) : value);
  }
  return state;
}

export function callTree(spec: CallSpec, self: unknown, args: readonly unknown[]): unknown[] {
  const tree: unknown[] = spec.receiver ? [receiverState(Object(self), spec.receiver.staticFields)] : [];
  for (let i = 0; i < args.length; i++) tree.push(spec.staticArgs.has(i) ? box(args[i]) : args[i]);
  return tree;
}

/**
 * Calls the user's function on a rebuilt call tree (tracers at the leaves while tracing). For methods,
 * the receiver's tensor-holding fields are swapped for the tree's values during the call and restored
 * after, so `this.w` reads the tracer standing for that input (private `#fields` are left alone).
 */
export function invoke(spec: CallSpec, self: unknown, tree: unknown[], treedef: TreeDef): unknown {
  const fn = spec.fn as (...args: unknown[]) => unknown;
  if (!spec.receiver) return fn.apply(self, tree.map(unbox));
  const target = self as Record<string, unknown>;
  const state = tree[0] as Record<string, unknown>;
  const stateDef = treedef.node.kind === 'array' ? treedef.node.children[0] : undefined;
  const fields = stateDef?.node.kind === 'object' ? stateDef.node : undefined;
  const saved: [string, unknown][] = [];
  try {
    fields?.keys.forEach((key, i) => {
      if (fields.children[i]!.numLeaves === 0) return;
      saved.push([key, target[key]]);
      target[key] = state[key];
    });
    return fn.apply(self, tree.slice(1).map(unbox));
  } finally {
    for (const [key, value] of saved) target[key] = value;
  }
}

/** Whether any leaf is a tracer: the call happens inside another trace and is simply inlined into it. */
export const insideTrace = (leaves: readonly Tensor[]): boolean =>
  leaves.some((t) => t.traceContext !== undefined);
