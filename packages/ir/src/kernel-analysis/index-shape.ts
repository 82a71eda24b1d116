import { VerifyError } from '../errors.js';

/**
 * Largest index expression accepted, counted as a tree (a subtree shared by reference counts once
 * per use): renderers spell indices out as text, so a small DAG must not stand for a huge tree.
 * Lowering's indices are linear forms of a few dozen nodes.
 */
export const MAX_INDEX_NODES = 4096;
/** Deepest index expression accepted (renderers and analyses walk indices by recursion). */
export const MAX_INDEX_DEPTH = 256;

interface Measure {
  nodes: number;
  depth: number;
}

/**
 * Checks index expressions of untrusted programs: objects with a known `k` and integer fields
 * (safe integers; div/mod by a positive constant), acyclic, within MAX_INDEX_NODES and
 * MAX_INDEX_DEPTH. Iterative (an explicit stack), so a 1,000,000-deep chain is a typed error, not a
 * stack overflow. Subtrees already checked (by identity) are not walked again.
 */
export class IndexShapeChecker {
  private readonly done = new WeakMap<object, Measure>();

  check(root: unknown, where: string): void {
    const fail = (reason: string): never => {
      throw new VerifyError(reason, where);
    };
    const onPath = new Set<object>();
    const stack: { node: object; expanded: boolean }[] = [];
    const push = (v: unknown) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('index expression must be an object');
      const node = v as object;
      if (this.done.has(node)) return;
      if (onPath.has(node)) fail('index expression refers to itself (a cycle)');
      // Each level holds at most two entries: a longer stack means a too-deep expression.
      if (stack.length > 2 * MAX_INDEX_DEPTH) fail(`index expression is deeper than ${MAX_INDEX_DEPTH}`);
      stack.push({ node, expanded: false });
    };
    push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (!top.expanded && this.done.has(top.node)) {
        stack.pop(); // a sibling shared the same subtree and finished it
        continue;
      }
      const e = top.node as Record<string, unknown>;
      const children = childrenOf(e, fail);
      if (!top.expanded) {
        top.expanded = true;
        onPath.add(top.node);
        for (const c of children) push(c);
        continue;
      }
      stack.pop();
      onPath.delete(top.node);
      let nodes = 1;
      let depth = 1;
      for (const c of children) {
        const m = this.done.get(c as object)!;
        nodes += m.nodes;
        depth = Math.max(depth, m.depth + 1);
      }
      if (nodes > MAX_INDEX_NODES) fail(`index expression has more than ${MAX_INDEX_NODES} nodes`);
      if (depth > MAX_INDEX_DEPTH) fail(`index expression is deeper than ${MAX_INDEX_DEPTH}`);
      this.done.set(top.node, { nodes, depth });
    }
  }
}

/** The operands of one node after checking its own fields. */
function childrenOf(e: Record<string, unknown>, fail: (reason: string) => never): unknown[] {
  const int = (f: string) => {
    if (!Number.isSafeInteger(e[f])) fail(`index '${String(e.k)}' field '${f}' must be an integer`);
    return e[f] as number;
  };
  switch (e.k) {
    case 'const':
      int('v');
      return [];
    case 'axis':
    case 'raxis':
      if (int('axis') < 0) fail(`index ${e.k} must be non-negative`);
      return [];
    case 'add':
      return [e.a, e.b];
    case 'mul':
      int('c');
      return [e.a];
    case 'div':
    case 'mod':
      if (int('c') <= 0) fail(`index ${e.k} by ${e.c} (must be a positive integer)`);
      return [e.a];
    default:
      return fail(
        `unknown index expression kind ${typeof e.k === 'string' ? JSON.stringify(e.k.slice(0, 20)) : typeof e.k}`,
      );
  }
}
