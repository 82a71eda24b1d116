import { Tensor, type TreeDef } from '@paradox/tracer';
import { StaticBox } from './call-tree.js';
import { JitArgumentError } from './errors.js';
import { argumentLabel, type CallSignature } from './signature.js';

/** Values looked at per static object before giving up (the scan runs once per trace, not per call). */
const SCAN_BUDGET = 10_000;

const describeKey = (k: unknown): string =>
  typeof k === 'string' ? JSON.stringify(k) : typeof k === 'object' ? '{…}' : String(k);

/**
 * The path of a tensor inside a value jit keys by identity (a Map, Set or class instance), or
 * undefined. Such a tensor would be baked into the program as a constant, and a later change to the
 * container (`map.set('w', other)`) would not change the key: a stale answer.
 */
function tensorInside(value: object, at: string): string | undefined {
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, at]];
  let budget = SCAN_BUDGET;
  while (stack.length > 0 && budget-- > 0) {
    const [v, path] = stack.pop()!;
    if (v instanceof Tensor) return path;
    if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    try {
      if (v instanceof Map)
        for (const [k, x] of v) stack.push([x, `${path}.get(${describeKey(k)})`], [k, `${path} (a key)`]);
      else if (v instanceof Set) for (const x of v) stack.push([x, `${path} (an element)`]);
      else if (Array.isArray(v)) for (const [i, x] of v.entries()) stack.push([x, `${path}[${i}]`]);
      else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], `${path}.${k}`]);
    } catch {
      // A throwing getter or Proxy trap: the value stays opaque (keyed by identity), as before.
    }
  }
  return undefined;
}

const kindOf = (v: object): string =>
  v instanceof Map
    ? 'a Map'
    : v instanceof Set
      ? 'a Set'
      : `an instance of ${v.constructor?.name || 'a class'}`;

/**
 * The rule for arguments jit cannot see into: a Map, Set or class instance is static (keyed by
 * identity), so it must not hold tensors unless declared static. Refuses such a call with a typed
 * error naming where the tensor is; never a silently stale result.
 */
export function checkNoHiddenTensors(fn: string, signature: CallSignature): void {
  const walk = (def: TreeDef, label: string): void => {
    const node = def.node;
    if (node.kind === 'static') {
      const v = node.value;
      if (v === null || typeof v !== 'object' || v instanceof StaticBox) return;
      const path = tensorInside(v, label);
      if (path === undefined) return;
      throw new JitArgumentError(
        `jit(${fn}): ${label} is ${kindOf(v)} holding a tensor (${path}). jit keys Maps, Sets and class instances ` +
          'by identity, so that tensor would be baked into the program and later changes to it ignored. Pass ' +
          'tensors in arrays or plain objects (they become inputs), or declare the argument static if it never changes.',
      );
    }
    if (node.kind === 'array') for (const [i, c] of node.children.entries()) walk(c, `${label}[${i}]`);
    if (node.kind === 'object')
      for (const [i, c] of node.children.entries()) walk(c, `${label}.${node.keys[i]}`);
  };
  const top = signature.tree.node;
  if (top.kind !== 'array') return;
  for (const [i, c] of top.children.entries()) {
    const fields = signature.receiver && i === 0 && c.node.kind === 'object' ? c.node : undefined;
    if (fields) for (const [j, f] of fields.children.entries()) walk(f, `this.${fields.keys[j]}`);
    else walk(c, argumentLabel(i, signature.receiver));
  }
}
