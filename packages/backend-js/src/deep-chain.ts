import { MalformedProgramError } from '@paradox/backend';
import { collapseAxes, exprOperands, groupCoef, groupExtent } from '@paradox/ir';
import { affineStep, type EmitContext, type KernelAnalysis } from './kernel-analysis.js';
import { intLiteral } from './literals.js';
import type { SourceWriter } from './source-writer.js';

/**
 * Deep elementwise chains, rendered op by op over tiles of elements.
 *
 * Element by element, a chain like tanh(x * a + b) * c ... 200 ops deep runs at the latency of its
 * ops: each step waits for the previous one, and one element's chain is longer than the CPU's
 * reordering window, so the next element's independent work never overlaps it. Op by op, each op is
 * a small loop over a tile of elements whose iterations are independent, so it runs at throughput.
 * Values live in tile-sized scratch arrays (reused once a value is dead); the op loops are split
 * into small stage functions because V8's optimizing compiler takes superlinear time on one big
 * function (and compiles it twice when a loop inside gets hot first).
 */
export interface DeepChainPlan {
  /** Elements in the (collapsed) domain. */
  extent: number;
  /** Coefficient of the collapsed loop index in each index form (by form id). */
  coef: Map<number, number>;
  /** Rendered exprs in order (used, not constants). */
  order: number[];
  /** Scratch slot of each expr in `order`. */
  slot: Map<number, number>;
  slots: number;
}

/** Shortest per-element dependency chain (in ops) worth rendering op by op; W1's is 6. */
const MIN_DEPTH = 16;
/** Beyond this, the stage functions cost more to compile than they save. */
const MAX_EXPRS = 400;
/** Elements per tile: the scratch arrays stay in L1. */
const TILE = 64;
/** Op loops per stage function: smaller stages finish optimizing sooner (200-op chain: 11-12 µs per call vs 15 with 25). */
const OPS_PER_STAGE = 10;

/** A plan when the kernel is a deep elementwise chain over one contiguous (collapsible) loop. */
export function planDeepChain(a: KernelAnalysis): DeepChainPlan | undefined {
  if (a.rshape.length > 0 || a.facts.passes > 0 || a.kernel.stores.some((s) => s.phase === 'reduction'))
    return undefined;
  const forms = [...a.forms.values()];
  if (forms.some((f) => !f.affine)) return undefined;
  const groups = collapseAxes(
    a.domain,
    forms.map((f) => f.affine!.ax),
    new Set(),
  );
  if (groups.length !== 1) return undefined;
  const extent = groupExtent(groups[0]!, a.domain);
  const order = a.exprs.flatMap((e, i) => (a.facts.used[i] && e.op !== 'const' ? [i] : []));
  if (extent < 2 || order.length > MAX_EXPRS) return undefined;
  const depth = new Map<number, number>();
  for (const i of order)
    depth.set(i, 1 + Math.max(0, ...exprOperands(a.exprs[i]!).map((o) => depth.get(o) ?? 0)));
  if (Math.max(0, ...depth.values()) < MIN_DEPTH) return undefined;

  // Scratch slots: a value's slot is free after its last reader (stores read at the very end).
  const lastUse = new Map<number, number>();
  order.forEach((i, pos) => {
    for (const o of exprOperands(a.exprs[i]!)) lastUse.set(o, pos);
  });
  for (const s of a.kernel.stores) lastUse.set(s.value, Number.POSITIVE_INFINITY);
  const slot = new Map<number, number>();
  const free: number[] = [];
  let slots = 0;
  order.forEach((i, pos) => {
    // Operands dying here free their slot first: t[j] = f(t[j]) is safe element by element.
    for (const o of new Set(exprOperands(a.exprs[i]!)))
      if (lastUse.get(o) === pos && slot.has(o)) free.push(slot.get(o)!);
    slot.set(i, free.pop() ?? slots++);
  });
  const coef = new Map(forms.map((f) => [f.id, groupCoef(groups[0]!, a.domain, f.affine!.ax)]));
  return { extent, coef, order, slot, slots };
}

/** Renders the whole factory body: scratch arrays, stage functions, then the kernel. */
export function renderDeepChain(a: KernelAnalysis, plan: DeepChainPlan, w: SourceWriter): void {
  const lit = (v: number) => intLiteral(v, a.where);
  const tile = Math.min(TILE, plan.extent);
  const params = a.params.map((_, k) => `p${k}`).join(', ');
  const ctx: EmitContext = {
    affine: (f) => affineStep(lit(f.affine!.c), '(b + j)', plan.coef.get(f.id)!),
    axisVar: () => '(b + j)',
    raxisVar: () => {
      throw new MalformedProgramError('an elementwise kernel reads a reduction index', a.where);
    },
    name: (j) => (plan.slot.has(j) ? `t${plan.slot.get(j)}[j]` : a.value(j, ctx)),
  };
  for (let s = 0; s < plan.slots; s++) w.line(`const t${s} = new Float64Array(${lit(tile)});`);
  const loops = [
    ...plan.order.map((i) => `t${plan.slot.get(i)}[j] = ${a.value(i, ctx)};`),
    ...a.kernel.stores.map((s) => a.store(s, ctx)),
  ];
  const stages = Math.ceil(loops.length / OPS_PER_STAGE);
  for (let s = 0; s < stages; s++) {
    w.block(`function stage${s}(${params}, b, n)`, () => {
      for (const body of loops.slice(s * OPS_PER_STAGE, (s + 1) * OPS_PER_STAGE))
        w.line(`for (let j = 0; j < n; j++) ${body}`);
    });
  }
  w.block(`return function kernel(${params})`, () => {
    w.block(`for (let b = 0; b < ${lit(plan.extent)}; b += ${lit(tile)})`, () => {
      w.line(`const n = Math.min(${lit(tile)}, ${lit(plan.extent)} - b);`);
      for (let s = 0; s < stages; s++) w.line(`stage${s}(${params}, b, n);`);
    });
  });
}
