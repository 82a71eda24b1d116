import { exprOperands, type Store } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import { registerType } from './c_family.js';
import type { ExprEmitter } from './emitter.js';
import type { KernelParams } from './kernel_params.js';
import { declareAxes, LoopVars } from './loop_vars.js';
import { orderFold, quickOrderFold } from './order_fold.js';
import { type Accumulator, accumulator } from './reductions.js';
import { Lines } from './source_writer.js';

/**
 * What varies between reduction templates: how a loop over the reduction domain is split among
 * threads, how per-thread partials are combined, and (on CPUs) whether folds use vector lanes.
 */
export interface ReductionStrategy {
  /**
   * Loop header over the flat reduction index `r` (all of it, or this thread's share). `kind`
   * says whether the loop folds into accumulators or only runs the reduction-phase stores
   * (whose iterations are independent).
   */
  loopHeader(indexType: string, r: string, extent: string, kind: 'fold' | 'stores'): string;
  /** Combines the per-thread accumulators of one pass into their final value (block-wide). */
  combine(out: Lines, pass: number, accumulators: Accumulator[]): void;
  /** Emits the stores that run once per domain point (the block template lets one thread write). */
  domainStores(out: Lines, point: ExprEmitter, stores: readonly Store[]): void;
  /**
   * Fold passes without argmax into this many independent lane accumulators (a `#pragma omp simd`
   * loop the compiler turns into vector registers), combined after the loop; the remainder folds
   * serially. Unset: one accumulator per reduce.
   */
  lanes?: number;
  /**
   * When the reduction-phase stores reuse a per-point operand of the last pass's reduces
   * (softmax's exp(x - max), folded into the sum and divided by it), keep it in a row array of
   * at most this many elements during the fold instead of computing it again. Unset: recompute.
   */
  rowScratch?: number;
  /**
   * Float32 max/min passes fold first with plain compare-and-select lanes plus a probe of the
   * largest magnitude's bits (`orderProbe(v)`: v's bits as an unsigned C expression), combined by
   * halving; only a row holding a NaN or whose result is a zero (signed-zero rules) runs the exact
   * fold again. Unset: the exact fold only.
   */
  orderProbe?: (v: string) => string;
}

/**
 * The body of one domain point of a reducing kernel: each pass loops over the reduction domain
 * folding values into accumulators, then the domain-phase stores run, then the reduction-phase
 * stores loop over the reduction domain once more (with every reduce result available).
 */
export function renderReductionBody(
  point: ExprEmitter,
  analysis: KernelAnalysis,
  frame: Pick<KernelParams, 'indexType' | 'literal'>,
  strategy: ReductionStrategy,
): void {
  const { kernel } = analysis;
  const out = point.out;
  const I = frame.indexType;
  const reduceShape = kernel.reduce?.shape ?? [];
  const extent = frame.literal(analysis.reduceSize);
  /** Renders `body` for one reduction point `r` into its own scope, under `header`. */
  const loop = (header: string, body: (inner: ExprEmitter) => void, prelude: string[] = []): void => {
    const vars = new LoopVars(point.names);
    const bodyLines = new Lines();
    body(point.nested(bodyLines, vars));
    out.block(header, () => {
      out.push(...prelude);
      declareAxes(out, reduceShape, vars.reduceAxes, 'r', 'r', I, frame.literal);
      out.append(bodyLines);
    });
  };

  // An empty reduction domain leaves every accumulator at its identity. Nothing is evaluated for
  // it: a hoisted load would read a buffer that may be empty.
  const empty = analysis.reduceSize === 0;
  const rows = empty ? new Map<number, string>() : rowArrays(analysis, strategy.rowScratch ?? 0);
  const lastPass = analysis.passes.length - 1;
  analysis.passes.forEach((reduces, pass) => {
    if (!empty) point.hoist(reduces.map((i) => (kernel.exprs[i] as { a: number }).a));
    const exprs = reduces.map((i) => {
      const e = kernel.exprs[i]!;
      if (e.op !== 'reduce') throw new Error('unreachable: pass holds a non-reduce expr');
      return e;
    });
    const accs = exprs.map((e, j) => {
      const dtype = e.fn === 'argmax' ? kernel.exprs[e.a]!.dtype : e.dtype;
      return accumulator(e.fn, dtype, `acc${reduces[j]}`, point.ctx.dialect);
    });
    if (empty) {
      for (const [j, i] of reduces.entries()) point.bind(i, accs[j]!.emptyResult);
      return;
    }
    for (const acc of accs) out.push(...acc.declare());
    const saving = pass === lastPass ? exprs.filter((e) => rows.has(e.a)).map((e) => e.a) : [];
    for (const a of new Set(saving))
      out.push(`${registerType(kernel.exprs[a]!.dtype)} ${rows.get(a)}[${analysis.reduceSize}];`);
    const fold = (into: Accumulator[], position: string) => (inner: ExprEmitter) => {
      for (const a of new Set(saving)) inner.out.push(`${rows.get(a)}[r] = ${inner.value(a)};`);
      exprs.forEach((e, j) => {
        let v = inner.value(e.a);
        const from = kernel.exprs[e.a]!.dtype;
        if (e.fn !== 'argmax' && from !== e.dtype) v = inner.convert(v, from, e.dtype);
        inner.out.push(into[j]!.update(v, position));
      });
    };
    const position = analysis.wide ? '(int)r' : 'r';
    const W = strategy.lanes ?? 0;
    if (W > 1 && analysis.reduceSize >= 2 * W && exprs.every((e) => e.fn !== 'argmax')) {
      const full = frame.literal(analysis.reduceSize - (analysis.reduceSize % W));
      /** Folds the full blocks into lanes `<name>[l]` of `laneAccs`, `width` (a divisor of W) at a time. */
      const blocks = (laneAccs: Accumulator[], width = W): void => {
        out.block(`for (${I} rb = 0; rb < ${full}; rb += ${width})`, () => {
          out.push('#pragma omp simd');
          loop(`for (int l = 0; l < ${width}; ++l)`, fold(laneAccs, position), [`const ${I} r = rb + l;`]);
        });
      };
      // Lane j of accumulator `accN_lane` folds points r with r % W == j; one vector register each.
      const laneNames = reduces.map((i) => `acc${i}_lane`);
      const lanes = exprs.map((e, j) => accumulator(e.fn, e.dtype, `${laneNames[j]}[l]`, point.ctx.dialect));
      const exact = (): void => {
        exprs.forEach((_, j) => {
          out.push(`${accs[j]!.types[0]} ${laneNames[j]}[${W}];`);
          out.push(`for (int l = 0; l < ${W}; ++l) ${laneNames[j]}[l] = ${accs[j]!.identity[0]};`);
        });
        blocks(lanes);
        if ((W & (W - 1)) === 0) {
          // Halving: lane l takes lane l + h for h = W/2 ... 1 (vector steps, no serial walk).
          for (let h = W / 2; h >= 1; h /= 2) {
            out.push('#pragma omp simd');
            out.block(`for (int l = 0; l < ${h}; ++l)`, () => {
              for (const [j, lane] of lanes.entries())
                out.push(lane.combine(() => `${laneNames[j]}[l + ${h}]`));
            });
          }
          for (const [j, acc] of accs.entries()) out.push(acc.combine(() => `${laneNames[j]}[0]`));
        } else {
          out.block(`for (int l = 0; l < ${W}; ++l)`, () => {
            for (const [j, acc] of accs.entries()) out.push(acc.combine(() => `${laneNames[j]}[l]`));
          });
        }
      };
      const bits = strategy.orderProbe;
      const quick =
        bits !== undefined &&
        (W & (W - 1)) === 0 &&
        exprs.every(
          (e) => orderFold(e.fn) && e.dtype === 'float32' && kernel.exprs[e.a]!.dtype === 'float32',
        );
      if (quick) {
        const fns = exprs.map((e) => e.fn as 'max' | 'min');
        const names = accs.map((a) => a.variables[0]!);
        quickOrderFold(out, fns, names, W, bits, {
          identity: accs.map((a) => a.identity[0]!),
          blocks,
          exact,
        });
      } else exact();
      if (analysis.reduceSize % W !== 0)
        loop(`for (${I} r = ${full}; r < ${extent}; ++r)`, fold(accs, position));
    } else {
      loop(strategy.loopHeader(I, 'r', extent, 'fold'), fold(accs, position));
    }
    strategy.combine(out, pass, accs);
    for (const [j, i] of reduces.entries()) point.bind(i, accs[j]!.result);
  });

  strategy.domainStores(out, point, analysis.domainStores);
  if (analysis.reductionStores.length > 0 && !empty) {
    point.hoist(analysis.reductionStores.map((s) => s.value));
    loop(strategy.loopHeader(I, 'r', extent, 'stores'), (inner) => {
      for (const [a, name] of rows) inner.bind(a, `${name}[r]`);
      for (const s of analysis.reductionStores) inner.store(s);
    });
  }
}

/**
 * Row arrays for the per-point operands of the last pass's reduces that the reduction-phase
 * stores use again (see ReductionStrategy.rowScratch), by expr: `row<expr>`. Loads are left out:
 * reading the array costs what reading the buffer does.
 */
function rowArrays(analysis: KernelAnalysis, limit: number): Map<number, string> {
  const rows = new Map<number, string>();
  const { exprs } = analysis.kernel;
  const last = analysis.passes.at(-1);
  if (!last || analysis.reductionStores.length === 0 || analysis.reduceSize > limit) return rows;
  const used = new Set<number>();
  const stack = analysis.reductionStores.map((s) => s.value);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (used.has(i)) continue;
    used.add(i);
    if (exprs[i]!.op !== 'reduce') stack.push(...exprOperands(exprs[i]!));
  }
  for (const r of last) {
    const a = (exprs[r] as { a: number }).a;
    if (used.has(a) && analysis.perReductionPoint[a] && exprs[a]!.op !== 'load') rows.set(a, `row${a}`);
  }
  return rows;
}
