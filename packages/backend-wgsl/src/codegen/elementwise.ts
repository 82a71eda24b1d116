import { fromStorage, toStorage } from './dtypes.js';
import type { Binding, KernelCode, PointCtx } from './kernel-code.js';
import { i32Literal } from './literals.js';
import { assemble, decompose, Lines, type RenderedKernel, trackedAxis } from './shader.js';

export interface ElementwiseOptions {
  workgroupSize: number;
  /** Most items (elements, or vec4 groups) one thread handles. */
  maxItemsPerThread: number;
  vectorize: boolean;
}

const LANES = ['x', 'y', 'z', 'w'];

/**
 * Elementwise kernels: one item per thread per loop trip, several trips per thread on large
 * domains (per-thread cost dominates on CPU adapters). When the innermost axis is a multiple of 4,
 * an item is 4 consecutive elements: buffers whose every access is contiguous and 4-aligned along
 * it are bound as array<vec4<T>> and read/written with one vector access, values that do not vary
 * along it (broadcast operands) are computed once per item, the rest once per lane.
 */
export function renderElementwise(code: KernelCode, opts: ElementwiseOptions): RenderedKernel {
  const rank = code.domain.length;
  const last = code.domain[rank - 1] ?? 0;
  if (opts.vectorize && rank > 0 && last >= 4 && last % 4 === 0) {
    const vec = vectorBindings(code);
    if (vec.size > 0) return renderVec4(code, opts, vec);
  }
  return renderScalar(code, opts);
}

function itemsPerThread(items: number, opts: ElementwiseOptions): number {
  // Keep at least ~64 workgroups in flight before packing more items per thread.
  const per = Math.floor(items / (opts.workgroupSize * 64));
  return Math.max(1, Math.min(opts.maxItemsPerThread, per));
}

/** The loop that hands items to threads; `emit` writes one item's code given its index variable. */
function itemLoop(
  w: Lines,
  items: number,
  per: number,
  opts: ElementwiseOptions,
  emit: (item: string) => void,
): void {
  const wgSize = i32Literal(opts.workgroupSize, 'workgroup size');
  const total = i32Literal(items, 'domain size');
  if (per === 1) {
    w.line(`let item = wg * ${wgSize} + lid;`);
    w.block(`if (item < ${total})`, () => emit('item'));
    return;
  }
  w.block(`for (var t = 0i; t < ${per}i; t++)`, () => {
    w.line(`let item = (wg * ${per}i + t) * ${wgSize} + lid;`);
    w.block(`if (item >= ${total})`, () => w.line('break;'));
    emit('item');
  });
}

function renderScalar(code: KernelCode, opts: ElementwiseOptions): RenderedKernel {
  const items = code.domainSize;
  const per = itemsPerThread(items, opts);
  const w = new Lines();
  itemLoop(w, items, per, opts, (item) => {
    const used = new Set<number>();
    const ctx: PointCtx = {
      axis: trackedAxis(used, 'i'),
      raxis: () => {
        throw new Error('elementwise kernel reads a reduction index');
      },
      ref: (j) => `v${j}`,
      linear: item,
    };
    const body = new Lines(0);
    code.exprs.forEach((_, i) => {
      if (code.facts.used[i]) body.line(`let v${i} = ${code.rhs(i, ctx)};`);
    });
    for (const s of code.kernel.stores) body.line(code.storeLine(s, ctx, `v${s.value}`));
    w.append(decompose(item, code.domain, 'i', used));
    w.append(body);
  });
  const groups = Math.ceil(items / (opts.workgroupSize * per));
  return {
    source: assemble(code, opts.workgroupSize, [], w.lines()),
    bindings: code.bindings,
    workgroups: groups,
    template: 'elementwise',
  };
}

/** Bindings whose every load/store is unguarded, affine, unit-stride along the last axis and 4-aligned. */
function vectorBindings(code: KernelCode): Set<Binding> {
  const la = code.domain.length - 1;
  const ok = new Map<Binding, boolean>();
  const aligned = (ix: Parameters<KernelCode['ix']['affine']>[0]) => {
    const a = code.ix.affine(ix);
    if (!a || a.axes[la] !== 1 || a.constant % 4 !== 0) return false;
    return a.axes.every((c, k) => k === la || code.domain[k]! <= 1 || c % 4 === 0);
  };
  const note = (b: Binding, good: boolean) => ok.set(b, (ok.get(b) ?? true) && good);
  code.exprs.forEach((e, i) => {
    if (e.op !== 'load' || !code.facts.used[i]) return;
    note(code.binding(e.buffer), !e.guard?.length && !e.dynamic && aligned(e.index));
  });
  for (const s of code.kernel.stores) note(code.binding(s.buffer), aligned(s.index));
  return new Set([...ok].filter(([, good]) => good).map(([b]) => b));
}

function renderVec4(code: KernelCode, opts: ElementwiseOptions, vec: Set<Binding>): RenderedKernel {
  for (const b of vec) b.vec4 = true;
  const rank = code.domain.length;
  const la = rank - 1;
  const quads = code.domain[la]! / 4;
  const groupDomain = [...code.domain.slice(0, la), quads];
  const items = groupDomain.reduce((a, b) => a * b, 1);
  const per = itemsPerThread(items, opts);
  const lane = code.exprs.map((_, i) => code.facts.axes[i]!.has(la));
  const w = new Lines();
  itemLoop(w, items, per, opts, (item) => {
    const used = new Set<number>();
    const axis = trackedAxis(used, 'i');
    /** Index of component 0 of the item, divided by 4 (exact for vec4 bindings). */
    const quadIndex = (ix: Parameters<KernelCode['ix']['affine']>[0]) => {
      if (code.ix.isLinear(ix)) return plus(item, code.ix.affine(ix)!.constant / 4);
      const a = code.ix.affine(ix)!;
      const terms = a.axes.flatMap((c, k) =>
        k === la
          ? [axis(la)]
          : c === 0 || code.domain[k]! <= 1
            ? []
            : [`${axis(k)} * ${i32Literal(c / 4, code.where)}`],
      );
      return plus(`(${terms.join(' + ')})`, a.constant / 4);
    };
    const body = new Lines(0);
    const laneCtx = (c: number | null): PointCtx => ({
      axis: (k) => (k === la ? (c === null ? `(${axis(la)} * 4i)` : `(${axis(la)} * 4i + ${c}i)`) : axis(k)),
      raxis: () => {
        throw new Error('elementwise kernel reads a reduction index');
      },
      ref: (j) => (lane[j] && c !== null ? `v${j}_${c}` : `v${j}`),
      linear: c === null ? `(${item} * 4i)` : `(${item} * 4i + ${c}i)`,
      load: (i) => {
        const e = code.exprs[i]!;
        if (e.op !== 'load' || c === null || !code.binding(e.buffer).vec4) return undefined;
        return fromStorage(e.dtype, `l${i}.${LANES[c]}`);
      },
    });
    code.exprs.forEach((e, i) => {
      if (!code.facts.used[i]) return;
      if (!lane[i]) {
        body.line(`let v${i} = ${code.rhs(i, laneCtx(null))};`);
        return;
      }
      if (e.op === 'load' && code.binding(e.buffer).vec4) {
        body.line(`let l${i} = ${code.binding(e.buffer).name}[${quadIndex(e.index)}];`);
      }
      for (let c = 0; c < 4; c++) body.line(`let v${i}_${c} = ${code.rhs(i, laneCtx(c))};`);
    });
    for (const s of code.kernel.stores) {
      const b = code.binding(s.buffer);
      const name = (c: number) => (lane[s.value] ? `v${s.value}_${c}` : `v${s.value}`);
      if (b.vec4) {
        const parts = [0, 1, 2, 3].map((c) => toStorage(b.dtype, name(c)));
        body.line(`${b.name}[${quadIndex(s.index)}] = vec4(${parts.join(', ')});`);
      } else {
        for (let c = 0; c < 4; c++) body.line(code.storeLine(s, laneCtx(c), name(c)));
      }
    }
    w.append(decompose(item, groupDomain, 'i', used));
    w.append(body);
  });
  const groups = Math.ceil(items / (opts.workgroupSize * per));
  return {
    source: assemble(code, opts.workgroupSize, [], w.lines()),
    bindings: code.bindings,
    workgroups: groups,
    template: 'elementwise-vec4',
  };
}

function plus(e: string, c: number): string {
  return c === 0 ? e : c > 0 ? `(${e} + ${i32Literal(c, 'index')})` : `(${e} - ${i32Literal(-c, 'index')})`;
}
