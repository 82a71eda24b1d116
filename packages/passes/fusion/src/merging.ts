import { canonicalKey } from '@paradox/ir';
import { type GraphFacts, isContraction, isReduce, isView, sameShape, shapeOf } from './graph-facts.js';
import { externalReads, type Group, type Realized } from './kernels.js';
import { type FusionLimits, findViolation } from './violation.js';

/**
 * Merging: kernels that can share one pass over memory become one multi-output kernel —
 * reductions over the same domain (mean and mean of squares), and an elementwise producer kernel
 * with the consumer kernel that reads it in the same shape (the producer is still stored, e.g.
 * because it is a graph output). A merged kernel must pass every rule of a kernel (legality,
 * profitability, backend limits), or the merge is not made.
 */
export function mergeMultiOutput(
  f: GraphFacts,
  groups: Group[],
  limits: FusionLimits,
  realized: Realized,
): Group[] {
  // Pairs that failed stay failed: a merge only adds paths between the other kernels.
  const failed = new WeakMap<Group, WeakSet<Group>>();
  const memo: FailedPairs = {
    has: (a, b) => failed.get(a)?.has(b) === true,
    add: (a, b) => {
      const set = failed.get(a) ?? new WeakSet<Group>();
      set.add(b);
      failed.set(a, set);
    },
  };
  let current = groups;
  let start = 0;
  for (;;) {
    const merged = mergeFirstPair(f, current, limits, realized, memo, start);
    if (!merged) return current;
    ({ groups: current, at: start } = merged);
  }
}

interface FailedPairs {
  has(a: Group, b: Group): boolean;
  add(a: Group, b: Group): void;
}

/**
 * Sibling reductions are looked for among the next kernels with the same reduction domain only,
 * so a graph of thousands of them costs linear time, not quadratic.
 */
const SIBLING_WINDOW = 32;

/**
 * The first mergeable pair (a < b, in kernel order) merged in place of a. Kernels before `start`
 * (the last merge's place) only pair with the kernel at `start`: their other pairs failed before
 * and nothing a merge does can make them pass.
 */
function mergeFirstPair(
  f: GraphFacts,
  current: Group[],
  limits: FusionLimits,
  realized: Realized,
  failed: FailedPairs,
  start: number,
): { groups: Group[]; at: number } | undefined {
  const edges = groupEdges(f, current, realized);
  const readers = current.map(() => [] as number[]);
  edges.forEach((deps, b) => {
    for (const a of deps) readers[a]!.push(b);
  });
  const paths = new Paths(edges);
  const signatures = current.map((g) => reduceSignature(f, g));
  const bySignature = new Map<string, number[]>();
  const rank: number[] = [];
  signatures.forEach((s, i) => {
    if (s === undefined) return;
    const list = bySignature.get(s) ?? [];
    rank[i] = list.length;
    list.push(i);
    bySignature.set(s, list);
  });
  for (let a = 0; a < current.length; a++) {
    const sa = signatures[a];
    const ga = current[a]!;
    const siblings =
      sa === undefined ? [] : bySignature.get(sa)!.slice(rank[a]! + 1, rank[a]! + 1 + SIBLING_WINDOW);
    const bs = [...new Set([...readers[a]!, ...siblings])]
      .filter((b) => b > a && (a >= start || b === start) && !failed.has(ga, current[b]!))
      .sort((x, y) => x - y);
    for (const b of bs) {
      const gb = current[b]!;
      const sb = signatures[b];
      const independent = sa !== undefined && sa === sb && !paths.reaches(a, b) && !paths.reaches(b, a);
      // b reads a directly and through no other kernel (that one would sit between them).
      const producerConsumer =
        sa === undefined &&
        sb === undefined &&
        edges[b]!.has(a) &&
        ![...edges[b]!].some((d) => d !== a && paths.reaches(d, a)) &&
        isPlainElementwise(f, ga) &&
        isPlainElementwise(f, gb);
      const union: Group = {
        roots: [...ga.roots, ...gb.roots],
        members: new Set([...ga.members, ...gb.members]),
      };
      if (
        !sameShape(rootShape(f, ga), rootShape(f, gb)) ||
        (!independent && !producerConsumer) ||
        findViolation(f, union, limits, realized)
      ) {
        failed.add(ga, gb);
        continue;
      }
      const merged = current.filter((_, i) => i !== a && i !== b);
      merged.splice(a, 0, union);
      return { groups: merged, at: a };
    }
  }
  return undefined;
}

/** Paths between kernels (a DAG), answered by a search pruned by each kernel's depth. */
class Paths {
  /** Longest path from a kernel down to one that reads no other kernel. */
  private readonly depth: number[];
  constructor(private readonly edges: readonly Set<number>[]) {
    this.depth = new Array<number>(edges.length).fill(-1);
    for (let g = 0; g < edges.length; g++) this.depthOf(g);
  }

  private depthOf(start: number): number {
    const stack = [start];
    while (stack.length > 0) {
      const g = stack[stack.length - 1]!;
      if (this.depth[g]! >= 0) {
        stack.pop();
        continue;
      }
      const pending = [...this.edges[g]!].filter((d) => this.depth[d]! < 0);
      if (pending.length > 0) stack.push(...pending);
      else {
        this.depth[g] = 1 + Math.max(-1, ...[...this.edges[g]!].map((d) => this.depth[d]!));
        stack.pop();
      }
    }
    return this.depth[start]!;
  }

  /** True when `to` is reachable from `from` through one or more edges. */
  reaches(from: number, to: number): boolean {
    const floor = this.depth[to]!;
    if (this.depth[from]! <= floor) return false;
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      for (const d of this.edges[stack.pop()!]!) {
        if (d === to) return true;
        if (this.depth[d]! > floor && !seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    return false;
  }
}

/** Group index -> indices of the groups whose roots it reads. */
function groupEdges(f: GraphFacts, groups: Group[], realized: Realized): Set<number>[] {
  const owner = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const r of g.roots) owner.set(r, i);
  });
  return groups.map((g) => {
    const deps = new Set<number>();
    for (const id of externalReads(f, g, realized)) {
      const o = owner.get(id);
      if (o !== undefined) deps.add(o);
    }
    return deps;
  });
}

function rootShape(f: GraphFacts, g: Group): number[] {
  return f.nodeById.get(g.roots[0]!)!.type.shape;
}

/** No reduction, contraction, impure root or view root: a kernel that can absorb/donate a producer. */
function isPlainElementwise(f: GraphFacts, g: Group): boolean {
  for (const id of g.members) {
    const n = f.nodeById.get(id)!;
    if (isReduce(f, n) || isContraction(f, n)) return false;
  }
  return !g.roots.some((id) => {
    const n = f.nodeById.get(id)!;
    return isView(f, n) || f.traits(n).impure === true;
  });
}

function reduceSignature(f: GraphFacts, g: Group): string | undefined {
  for (const id of g.members) {
    const r = f.nodeById.get(id)!;
    if (isReduce(f, r)) return `${shapeOf(f, r.inputs[0]!).join()}|${canonicalKey(r.attrs)}`;
  }
  return undefined;
}
