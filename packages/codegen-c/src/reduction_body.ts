import type { Store } from '@paradox/ir';
import type { KernelAnalysis } from './analysis.js';
import type { ExprEmitter } from './emitter.js';
import type { KernelParams } from './kernel_params.js';
import { declareAxes, LoopVars } from './loop_vars.js';
import { type Accumulator, accumulator } from './reductions.js';
import { Lines } from './source_writer.js';

/**
 * What varies between the serial and the block reduction templates: how a loop over the
 * reduction domain is split among threads, and how per-thread partials are combined.
 */
export interface ReductionStrategy {
  /** Loop header over the flat reduction index `r` (all of it, or this thread's share). */
  loopHeader(indexType: string, r: string, extent: string): string;
  /** Combines the per-thread accumulators of one pass into their final value (block-wide). */
  combine(out: Lines, pass: number, accumulators: Accumulator[]): void;
  /** Emits the stores that run once per domain point (the block template lets one thread write). */
  domainStores(out: Lines, point: ExprEmitter, stores: readonly Store[]): void;
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
  const reduceShape = kernel.reduce?.shape ?? [];
  const extent = frame.literal(analysis.reduceSize);
  const loop = (body: (inner: ExprEmitter) => void): void => {
    const vars = new LoopVars(point.names);
    const bodyLines = new Lines();
    body(point.nested(bodyLines, vars));
    out.block(strategy.loopHeader(frame.indexType, 'r', extent), () => {
      declareAxes(out, reduceShape, vars.reduceAxes, 'r', 'r', frame.indexType, frame.literal);
      out.append(bodyLines);
    });
  };

  // An empty reduction domain leaves every accumulator at its identity. Nothing is evaluated for
  // it: a hoisted load would read a buffer that may be empty.
  const empty = analysis.reduceSize === 0;
  analysis.passes.forEach((reduces, pass) => {
    if (!empty) point.hoist(reduces.map((i) => (kernel.exprs[i] as { a: number }).a));
    const accs = reduces.map((i) => {
      const e = kernel.exprs[i]!;
      if (e.op !== 'reduce') throw new Error('unreachable: pass holds a non-reduce expr');
      const dtype = e.fn === 'argmax' ? kernel.exprs[e.a]!.dtype : e.dtype;
      return accumulator(e.fn, dtype, `acc${i}`, point.ctx.dialect);
    });
    if (empty) {
      for (const [j, i] of reduces.entries()) point.bind(i, accs[j]!.emptyResult);
      return;
    }
    for (const acc of accs) out.push(...acc.declare());
    loop((inner) => {
      reduces.forEach((i, j) => {
        const e = kernel.exprs[i] as Extract<(typeof kernel.exprs)[number], { op: 'reduce' }>;
        let v = inner.value(e.a);
        const from = kernel.exprs[e.a]!.dtype;
        if (e.fn !== 'argmax' && from !== e.dtype) v = inner.convert(v, from, e.dtype);
        const position = analysis.wide ? '(int)r' : 'r';
        inner.out.push(accs[j]!.update(v, position));
      });
    });
    strategy.combine(out, pass, accs);
    for (const [j, i] of reduces.entries()) point.bind(i, accs[j]!.result);
  });

  strategy.domainStores(out, point, analysis.domainStores);
  if (analysis.reductionStores.length > 0 && !empty) {
    point.hoist(analysis.reductionStores.map((s) => s.value));
    loop((inner) => {
      for (const s of analysis.reductionStores) inner.store(s);
    });
  }
}
