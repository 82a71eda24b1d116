import type {
  Bound,
  BufferDecl,
  BuiltinOpName,
  Contraction,
  DType,
  IndexExpr,
  Kernel,
  Node,
  OpName,
  ReduceFn,
  Store,
  TensorType,
  ValueId,
} from '@paradox/ir';
import { canonicalKey, getOp, numel, stridesOf } from '@paradox/ir';
import { LoweringError } from './errors.js';
import { checkGroup, type GroupShape } from './group-shape.js';
import { broadcastIndex, domainFlatIndex, flatIndex, unflattenIndex } from './index-builders.js';
import { KernelBuilder } from './kernel-builder.js';
import { LOWER_RULES, operandDtypes, type RuleContext } from './op-rules.js';
import type { KernelGroup, Partition } from './partition.js';
import { indexKey } from './simplify-index.js';

/** What lowering a group needs from the program being built. */
export interface LoweringEnv {
  partition: Partition;
  /** The buffer holding a graph input, constant or materialized node. */
  bufferOf(id: ValueId): BufferDecl;
}

/**
 * Lowers one group to one kernel. Every materialized value is stored by asking for its value at
 * the index the store covers; values are computed on demand at an index, through views, down to
 * loads of buffers (the "value at index" function of each node, memoized per index).
 */
export function lowerGroup(group: KernelGroup, env: LoweringEnv, name: string): Kernel {
  const shape = checkGroup(group, env.partition);
  return new GroupLowering(group, env, shape).lower(name);
}

/** A value a rule asked for that is not computed yet: the solver computes it, then re-runs the rule. */
interface Demand {
  id: ValueId;
  at: Place;
}

/** An index (simplified) under guards, and the exprs of the values computed there (the memo). */
interface Place {
  key: string;
  index: IndexExpr[];
  guards: Bound[];
  values: Map<ValueId, number>;
}

const keyOf = (d: Demand): string => `${d.id}|${d.at.key}`;

/** Whether broadcastIndex from `from` to `to` returns the index itself. */
function sameUnbroadcast(to: readonly number[], from: readonly number[]): boolean {
  if (to.length !== from.length) return false;
  for (let d = 0; d < to.length; d++) if (to[d] !== from[d] || to[d] === 1) return false;
  return true;
}

class DemandSignal {
  constructor(readonly demand: Demand) {}
}

/**
 * Inputs nested this deep under the solver's current value are computed by plain recursion; deeper
 * ones go through the solver's stack. Recursion emits the same exprs in the same order (inputs
 * first, in the order rules ask for them), without re-running a rule per missing input.
 */
const RECURSION_DEPTH = 128;

class GroupLowering {
  readonly b: KernelBuilder;
  /** Places values were asked for, by key, and guard-free ones by the index array asked with. */
  private readonly places = new Map<string, Place>();
  private readonly placeByArray = new Map<IndexExpr[], Place>();
  /** True while a rule runs under the solver: a missing input deeper than RECURSION_DEPTH becomes a DemandSignal. */
  private solving = false;
  /** How deep the current rule runs in recursive input computations under the solver. */
  private depth = 0;
  private contraction: { lhs: number; rhs: number; acc: number } | undefined;
  private readonly domainKey: string;
  /** Each node's input types, listed once (a rule runs once per index a value is needed at). */
  private readonly inputTypes = new Map<Node, TensorType[]>();

  constructor(
    private readonly group: KernelGroup,
    private readonly env: LoweringEnv,
    private readonly shape: GroupShape,
  ) {
    this.b = new KernelBuilder({ domain: shape.domain, reduce: shape.reduce ?? [] });
    this.domainKey = indexKey(domainFlatIndex(shape.domain), this.b.ranges);
  }

  lower(name: string): Kernel {
    const { domain, reduce, reductionInput } = this.shape;
    const domainFlat = domainFlatIndex(domain);
    const stores: Store[] = [];
    for (const id of this.group.materialized) {
      const type = this.env.partition.types.get(id)!;
      const buffer = this.env.bufferOf(id).id;
      if (numel(type.shape) === numel(domain)) {
        const value = this.valueAt(id, unflattenIndex(domainFlat, type.shape), []);
        stores.push({ buffer, index: this.b.simplify(domainFlat), value });
      } else {
        // checkGroup guarantees a reduction-domain-sized value: one element per (domain, reduction) point.
        const flat = flatIndex(reductionInput!.index, reductionInput!.shape);
        const value = this.valueAt(id, unflattenIndex(flat, type.shape), []);
        stores.push({ buffer, index: this.b.simplify(flat), value, phase: 'reduction' });
      }
    }
    const contraction = this.contractionFacts();
    const kernel: Kernel = {
      name,
      kind: contraction ? 'contraction' : reduce ? 'reduce' : 'elementwise',
      domain: [...domain],
      ...(reduce ? { reduce: { shape: [...reduce] } } : {}),
      exprs: this.b.exprs,
      stores,
      sourceNodes: this.group.nodes.map((n) => n.id),
    };
    if (contraction) kernel.contraction = contraction;
    return kernel;
  }

  /**
   * Contraction facts hold when both operands are plain loads already in the result dtype and the
   * result has M and N axes; a matrix-vector product or mixed dtypes lower as a plain reduce kernel.
   */
  private contractionFacts(): Contraction | undefined {
    const c = this.contraction;
    if (!c) return undefined;
    const { exprs } = this.b;
    const acc = exprs[c.acc]!;
    const plain = (id: number) => {
      const e = exprs[id]!;
      return e.op === 'load' && e.guard === undefined && e.dtype === acc.dtype;
    };
    const mm = this.group.nodes.find((n) => getOp(n.op).traits.contraction)!;
    const ranks = mm.inputs.map((i) => this.env.partition.types.get(i)!.shape.length);
    if (!plain(c.lhs) || !plain(c.rhs) || ranks.some((r) => r < 2)) return undefined;
    const rank = this.shape.domain.length;
    return { lhs: c.lhs, rhs: c.rhs, acc: c.acc, m: rank - 2, n: rank - 1 };
  }

  /** The expr computing value `id` at `index` (in the value's shape), needed only where `guards` hold. */
  private valueAt(id: ValueId, index: IndexExpr[], guards: Bound[]): number {
    const at = this.placeOf(index, guards);
    const known = at.values.get(id);
    if (known !== undefined) return known;
    if (!this.solving) return this.solve({ id, at });
    if (this.depth >= RECURSION_DEPTH) throw new DemandSignal({ id, at });
    this.depth++;
    try {
      const value = this.computeAt(id, at.index, at.guards);
      at.values.set(id, value);
      return value;
    } finally {
      this.depth--;
    }
  }

  /**
   * The place (simplified index and guards) `index` under `guards` denotes, with the values computed
   * there. Rules hand an unbroadcast operand the index array they were given, so a chain of
   * elementwise ops asks with one array object: guard-free places are also found by that object.
   */
  private placeOf(index: IndexExpr[], guards: Bound[]): Place {
    if (guards.length === 0) {
      const known = this.placeByArray.get(index);
      if (known !== undefined) return known;
    }
    const { b } = this;
    const simplified: IndexExpr[] = [];
    let key = '';
    for (const e of index) {
      const s = b.simplify(e);
      simplified.push(s);
      key += `${b.indexKey(s)},`;
    }
    const live = guards.length === 0 ? guards : b.simplifyGuards(guards);
    key += `|${live.length === 0 ? '' : canonicalKey(live)}`;
    let place = this.places.get(key);
    if (place === undefined) {
      place = { key, index: simplified, guards: live, values: new Map() };
      this.places.set(key, place);
    }
    if (guards.length === 0) this.placeByArray.set(index, place);
    return place;
  }

  /**
   * Computes a value with an explicit stack instead of recursion through the rules (a 100,000-op
   * chain in one kernel must not overflow the call stack): a rule that asks for an input not yet
   * computed is abandoned, the input is computed first, and the rule runs again. Rules are pure
   * apart from adding hash-consed exprs, so a re-run re-adds nothing and emits in the same order.
   */
  private solve(root: Demand): number {
    const stack = [root];
    /** Demands pushed for a DemandSignal, by key (a signal for one of them again is a cycle). */
    const pending = new Set([keyOf(root)]);
    this.solving = true;
    try {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.at.values.has(top.id)) {
          stack.pop();
          continue;
        }
        if (this.pushInputs(top, stack)) continue;
        try {
          top.at.values.set(top.id, this.computeAt(top.id, top.at.index, top.at.guards));
          stack.pop();
          if (pending.size > 0) pending.delete(keyOf(top));
        } catch (e) {
          if (!(e instanceof DemandSignal)) throw e;
          const key = keyOf(e.demand);
          if (pending.has(key))
            throw new LoweringError(this.group.label, `%${e.demand.id} depends on itself`);
          stack.push(e.demand);
          pending.add(key);
        }
      }
    } finally {
      this.solving = false;
    }
    return root.at.values.get(root.id)!;
  }

  /**
   * An elementwise op's inputs are known before its rule runs (at its place, broadcast): pushes
   * those not computed yet, so the rule then finds them all and a chain of such ops is lowered once,
   * iteratively. Only when the rule emits nothing between its operands (every operand but the last
   * already in the dtype the rule converts it to), so the exprs come out in the order recursion gives.
   */
  private pushInputs(demand: Demand, stack: Demand[]): boolean {
    const { partition } = this.env;
    const node = partition.nodeById.get(demand.id);
    if (
      node === undefined ||
      !(partition.inline.has(node.id) || partition.groupOf.get(node.id) === this.group)
    )
      return false;
    const types = this.typesOf(node);
    const dtypes = operandDtypes(node, types);
    if (dtypes === undefined) return false;
    for (let k = 0; k < types.length - 1; k++) if (types[k]!.dtype !== dtypes[k]) return false;
    const depth = stack.length;
    // In reverse, so input 0 is computed first.
    for (let k = types.length - 1; k >= 0; k--) {
      const id = node.inputs[k]!;
      // cast reads its input at its own index; the other rules broadcast each operand (operandAt).
      const at =
        node.op === 'cast' || sameUnbroadcast(node.type.shape, types[k]!.shape)
          ? demand.at
          : this.placeOf(broadcastIndex(demand.at.index, node.type.shape, types[k]!.shape), demand.at.guards);
      if (!at.values.has(id)) stack.push({ id, at });
    }
    return stack.length > depth;
  }

  private typesOf(node: Node): TensorType[] {
    let inputTypes = this.inputTypes.get(node);
    if (!inputTypes) {
      inputTypes = node.inputs.map((i) => this.env.partition.types.get(i)!);
      this.inputTypes.set(node, inputTypes);
    }
    return inputTypes;
  }

  private computeAt(id: ValueId, index: IndexExpr[], guards: Bound[]): number {
    const { partition } = this.env;
    const node = partition.nodeById.get(id);
    const computedHere =
      node !== undefined && (partition.inline.has(id) || partition.groupOf.get(id) === this.group);
    if (!computedHere) {
      const type = this.env.partition.types.get(id)!;
      return this.b.load(this.env.bufferOf(id).id, type.dtype, flatIndex(index, type.shape), guards);
    }
    const rule = LOWER_RULES[node.op as BuiltinOpName];
    return rule.value(this.ruleContext(node, guards) as RuleContext<never>, index);
  }

  private ruleContext(node: Node, guards: Bound[]): RuleContext<OpName> {
    return new NodeContext(this, node, this.typesOf(node), guards);
  }

  /** Input k of `node` at `index`, needed where `guards` hold (RuleContext.input). */
  inputAt(node: Node, k: number, index: IndexExpr[], guards: Bound[]): number {
    return this.valueAt(node.inputs[k]!, index, guards);
  }

  noteContraction(lhs: number, rhs: number, acc: number): void {
    this.contraction = { lhs, rhs, acc };
  }

  /** A load of input k through a data-dependent index (RuleContext.dynamicLoad). */
  dynamicLoad(node: Node, k: number, index: IndexExpr[], axis: number, value: number, guards: Bound[]) {
    const { partition } = this.env;
    const id = node.inputs[k]!;
    if (
      partition.nodeById.has(id) &&
      (partition.inline.has(id) || partition.groupOf.get(id) === this.group)
    ) {
      throw new LoweringError(
        this.group.label,
        `%${node.id} (${node.op}) reads operand %${id} through a data-dependent index, so it must be a buffer, but it is computed in the same kernel`,
      );
    }
    const type = partition.types.get(id)!;
    const stride = stridesOf(type.shape)[axis]!;
    // An empty axis only occurs with an empty result (the type rule), whose kernel never runs.
    const dynamic = { value, extent: Math.max(1, type.shape[axis]!), stride };
    return this.b.load(this.env.bufferOf(id).id, type.dtype, flatIndex(index, type.shape), guards, dynamic);
  }

  reduceAt(node: Node, index: IndexExpr[], fn: ReduceFn, dtype: DType, operand: () => number): number {
    const { domain } = this.shape;
    // An empty domain never runs, so every read is vacuously at its point.
    const atDomainPoint =
      numel(domain) === 0 ||
      (numel(node.type.shape) === numel(domain) &&
        indexKey(flatIndex(index, node.type.shape), this.b.ranges) === this.domainKey);
    if (!atDomainPoint) {
      throw new LoweringError(
        this.group.label,
        `%${node.id} (${node.op}) is read at an index other than the kernel's domain point (domain [${domain}]); a reduction result exists only at that point, so such readers must be in another group`,
      );
    }
    return this.b.add({ op: 'reduce', fn, dtype, a: operand() });
  }
}

/** What a rule sees of the lowering (a class, not a fresh object of closures per value computed). */
class NodeContext implements RuleContext<OpName> {
  constructor(
    private readonly lowering: GroupLowering,
    readonly node: Node,
    readonly inputTypes: TensorType[],
    readonly guards: Bound[],
  ) {}

  get attrs(): never {
    return this.node.attrs as never;
  }

  get b(): KernelBuilder {
    return this.lowering.b;
  }

  input(k: number, index: IndexExpr[], extra?: Bound[]): number {
    const guards = extra && extra.length > 0 ? [...this.guards, ...extra] : this.guards;
    return this.lowering.inputAt(this.node, k, index, guards);
  }

  reduce(index: IndexExpr[], fn: ReduceFn, dtype: DType, operand: () => number): number {
    return this.lowering.reduceAt(this.node, index, fn, dtype, operand);
  }

  dynamicLoad(k: number, index: IndexExpr[], axis: number, value: number): number {
    return this.lowering.dynamicLoad(this.node, k, index, axis, value, this.guards);
  }

  noteContraction(lhs: number, rhs: number, acc: number): void {
    this.lowering.noteContraction(lhs, rhs, acc);
  }
}
