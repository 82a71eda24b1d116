import { NO_POSITION, reductionCone, type ScalarExpr, type Store } from '@paradox/ir';
import { fromStorage, toStorage, WGSL_DTYPES } from './dtypes.js';
import type { KernelCode, PointCtx } from './kernel-code.js';
import { i32Literal } from './literals.js';
import { reductionLanes } from './reduce-lanes.js';
import { assemble, decompose, Lines, type RenderedKernel, trackedAxis } from './shader.js';
import { argmaxBeats, argmaxInit, REDUCE } from './syntax.js';

export interface ReduceOptions {
  /** A power of two (the tree halves it). */
  workgroupSize: number;
  /**
   * 'serial': one thread per output point loops over the whole reduction domain (many outputs,
   * short reductions). 'tree': one workgroup per output point; threads take strided slices and
   * combine them in workgroup memory by a halving tree (few outputs, long reductions).
   */
  strategy: 'serial' | 'tree';
  /** Serial loops step 4 points at a time with vec4 accesses where the innermost reduction axis allows. */
  vectorize: boolean;
}

type Reduce = Extract<ScalarExpr, { op: 'reduce' }>;
const NO_POS = `${NO_POSITION}i`;

/**
 * Reduction kernels, including fused prologues (exprs inside the loop), epilogues (exprs after
 * it), several dependent passes (softmax: max, then sum of exp(x - max)), and phase-'reduction'
 * stores that run in one more loop over the reduction domain once every reduce is complete.
 */
export function renderReduce(code: KernelCode, opts: ReduceOptions): RenderedKernel {
  const { exprs, facts } = code;
  const tree = opts.strategy === 'tree';
  const W = opts.workgroupSize;
  const R = code.reduceSize;
  const D = code.domainSize;
  const where = code.where;
  const shared: string[] = [];

  const used = new Set<number>();
  const domainCtx: PointCtx = {
    axis: trackedAxis(used, 'i'),
    raxis: () => {
      throw new Error('a domain-level value reads a reduction index');
    },
    ref: (j) => `v${j}`,
    linear: 'o',
  };
  const body = new Lines(0);

  const lanes = !tree && opts.vectorize ? reductionLanes(code) : undefined;
  if (lanes) for (const b of lanes.quads) b.vec4 = true;
  /** Lanes of one loop step: [null] is one point at `r`; [0..3] are points r..r+3 (vec4 steps). */
  const laneList: (number | null)[] = lanes ? [0, 1, 2, 3] : [null];
  /** Flat reduction position of a lane (argmax bookkeeping). */
  const position = (c: number | null) => (c === null || c === 0 ? 'r' : `(r + ${c}i)`);
  /** The name of expr `j`'s value at lane `c`. */
  const value = (j: number, c: number | null) => (lanes?.lane[j] && c !== null ? `v${j}_${c}` : `v${j}`);

  /**
   * One loop over the reduction domain: the rdep cone of `roots` (once per lane where it varies
   * along the lanes), then `inner`'s statements.
   */
  const reductionLoop = (
    roots: number[],
    inner: (loop: Lines, at: (c: number | null) => PointCtx) => void,
  ) => {
    const rused = new Set<number>();
    const raxis = trackedAxis(rused, 'r');
    const at = (c: number | null): PointCtx => ({
      ...domainCtx,
      raxis: (k) => {
        if (!lanes || k !== lanes.axis) return raxis(k);
        if (c === null) throw new Error('a lane-invariant value reads the lane axis');
        return c === 0 ? raxis(k) : `(${raxis(k)} + ${c}i)`;
      },
      ref: (j) => value(j, c),
      load: (i) => {
        const e = exprs[i]!;
        if (!lanes || c === null || e.op !== 'load' || !code.binding(e.buffer).vec4) return undefined;
        return fromStorage(e.dtype, `l${i}.${'xyzw'[c]}`);
      },
    });
    const loop = new Lines(0);
    for (const i of reductionCone(code.kernel, facts, roots)) {
      const e = exprs[i]!;
      if (!lanes?.lane[i]) {
        loop.line(`let v${i} = ${code.rhs(i, at(null))};`);
        continue;
      }
      if (e.op === 'load' && code.binding(e.buffer).vec4) {
        const b = code.binding(e.buffer);
        loop.line(`let l${i} = ${b.name}[${quadIndex(e.index, at(0))}];`);
      }
      for (const c of laneList) loop.line(`let ${value(i, c)} = ${code.rhs(i, at(c))};`);
    }
    inner(loop, at);
    if (R === 0) return;
    const head = tree
      ? `for (var r = lid; r < ${i32Literal(R, where)}; r += ${W}i)`
      : `for (var r = 0i; r < ${i32Literal(R, where)}; r${lanes ? ' += 4i' : '++'})`;
    body.block(head, () => {
      body.append(decompose('r', code.rshape, 'r', rused));
      body.append(loop);
    });
  };
  /** Element index / 4 of an aligned quad access at lane 0 (exact: the index is a multiple of 4). */
  const quadIndex = (ix: Store['index'], ctx: PointCtx) => `(${code.ix.render(ix, ctx)}) / 4i`;

  const emitDomainExprs = (pass: number) => {
    exprs.forEach((e, i) => {
      if (facts.used[i] && !facts.rdep[i] && e.op !== 'reduce' && facts.after[i] === pass) {
        body.line(`let v${i} = ${code.rhs(i, domainCtx)};`);
      }
    });
  };

  emitDomainExprs(0);
  for (let p = 1; p <= facts.passes; p++) {
    const reduces = exprs.flatMap((e, i) =>
      e.op === 'reduce' && facts.used[i] && facts.after[i] === p ? [i] : [],
    );
    for (const j of reduces) {
      const e = exprs[j] as Reduce;
      if (e.fn === 'argmax') {
        const xd = exprs[e.a]!.dtype;
        body.line(`var a${j}: ${WGSL_DTYPES[xd].reg} = ${argmaxInit(xd)};`);
        body.line(`var a${j}i: i32 = ${NO_POS};`);
      } else {
        body.line(`var a${j}: ${WGSL_DTYPES[e.dtype].reg} = ${reduceRule(e, where).init(e.dtype)};`);
      }
    }
    reductionLoop(
      reduces.map((j) => (exprs[j] as Reduce).a),
      (loop) => {
        // Lanes are combined in order, so the result is the same as a point-by-point loop.
        for (const c of laneList) {
          for (const j of reduces) {
            const e = exprs[j] as Reduce;
            const x = value(e.a, c);
            if (e.fn === 'argmax') {
              const xd = exprs[e.a]!.dtype;
              loop.block(`if (${argmaxBeats(x, position(c), `a${j}`, `a${j}i`, xd)})`, () => {
                loop.line(`a${j} = ${x};`);
                loop.line(`a${j}i = ${position(c)};`);
              });
            } else {
              loop.line(`a${j} = ${reduceRule(e, where).combine(`a${j}`, x, e.dtype)};`);
            }
          }
        }
      },
    );
    if (tree) treeCombine(body, shared, code, reduces, W);
    for (const j of reduces) {
      const e = exprs[j] as Reduce;
      body.line(
        e.fn === 'argmax' ? `let v${j} = select(a${j}i, 0i, a${j}i == ${NO_POS});` : `let v${j} = a${j};`,
      );
    }
    emitDomainExprs(p);
  }

  // Phase-'reduction' stores: one more loop once every reduce is complete (softmax's normalize).
  const late = code.kernel.stores.filter((s) => s.phase === 'reduction');
  if (late.length > 0) {
    reductionLoop(
      late.map((s) => s.value),
      (loop, at) => {
        for (const s of late) {
          const b = code.binding(s.buffer);
          if (b.vec4) {
            const parts = laneList.map((c) => toStorage(b.dtype, value(s.value, c)));
            loop.line(`${b.name}[${quadIndex(s.index, at(0))}] = vec4(${parts.join(', ')});`);
          } else {
            for (const c of laneList) loop.line(code.storeLine(s, at(c), value(s.value, c)));
          }
        }
      },
    );
  }
  const early = code.kernel.stores.filter((s) => (s.phase ?? 'domain') === 'domain');
  const storeEarly = () => {
    for (const s of early) body.line(code.storeLine(s, domainCtx, `v${s.value}`));
  };
  // In a tree every thread holds the same results: one writes them.
  if (tree && early.length > 0) body.block('if (lid == 0i)', storeEarly);
  else storeEarly();

  const out = new Lines();
  if (tree) {
    out.line('let o = wg;');
    out.block(`if (o >= ${i32Literal(D, where)})`, () => out.line('return;'));
  } else {
    out.line(`let o = wg * ${W}i + lid;`);
  }
  const finish = () => {
    out.append(decompose('o', code.domain, 'i', used));
    out.append(body);
  };
  if (tree) finish();
  else out.block(`if (o < ${i32Literal(D, where)})`, finish);
  const workgroups = tree ? D : Math.ceil(D / W);
  return {
    source: assemble(code, W, shared, out.lines()),
    bindings: code.bindings,
    workgroups,
    template: tree ? 'reduce-tree' : lanes ? 'reduce-serial-vec4' : 'reduce-serial',
  };
}

function reduceRule(e: Reduce, where: string) {
  const rule = Object.hasOwn(REDUCE, e.fn) ? REDUCE[e.fn as keyof typeof REDUCE] : undefined;
  if (!rule) throw new Error(`${where}: unknown reduce fn`);
  return rule;
}

/** Halving-tree combine of each accumulator across the workgroup; every thread ends with the total. */
function treeCombine(body: Lines, shared: string[], code: KernelCode, reduces: number[], W: number): void {
  const { exprs } = code;
  const mem = (j: number, t: string) => `var<workgroup> s${j}: array<${t}, ${W}>;`;
  const store = (t: string, v: string) => (t === 'bool' ? `select(0u, 1u, ${v})` : v);
  const load = (t: string, v: string) => (t === 'bool' ? `(${v} != 0u)` : v);
  const slotType = (t: string) => (t === 'bool' ? 'u32' : t);
  for (const j of reduces) {
    const e = exprs[j] as Reduce;
    const xd = e.fn === 'argmax' ? exprs[e.a]!.dtype : e.dtype;
    const t = WGSL_DTYPES[xd].reg;
    shared.push(mem(j, slotType(t)));
    if (e.fn === 'argmax') shared.push(`var<workgroup> s${j}i: array<i32, ${W}>;`);
    body.line(`s${j}[lid] = ${store(t, `a${j}`)};`);
    if (e.fn === 'argmax') body.line(`s${j}i[lid] = a${j}i;`);
  }
  body.line('workgroupBarrier();');
  body.block(`for (var st = ${W / 2}i; st > 0i; st = st / 2i)`, () => {
    body.block('if (lid < st)', () => {
      for (const j of reduces) {
        const e = exprs[j] as Reduce;
        const xd = e.fn === 'argmax' ? exprs[e.a]!.dtype : e.dtype;
        const t = WGSL_DTYPES[xd].reg;
        const mine = load(t, `s${j}[lid]`);
        const theirs = load(t, `s${j}[lid + st]`);
        if (e.fn === 'argmax') {
          body.block(`if (${argmaxBeats(theirs, `s${j}i[lid + st]`, mine, `s${j}i[lid]`, xd)})`, () => {
            body.line(`s${j}[lid] = s${j}[lid + st];`);
            body.line(`s${j}i[lid] = s${j}i[lid + st];`);
          });
        } else {
          body.line(`s${j}[lid] = ${store(t, reduceRule(e, code.where).combine(mine, theirs, e.dtype))};`);
        }
      }
    });
    body.line('workgroupBarrier();');
  });
  for (const j of reduces) {
    const e = exprs[j] as Reduce;
    const xd = e.fn === 'argmax' ? exprs[e.a]!.dtype : e.dtype;
    body.line(`a${j} = ${load(WGSL_DTYPES[xd].reg, `s${j}[0]`)};`);
    if (e.fn === 'argmax') body.line(`a${j}i = s${j}i[0];`);
  }
}
