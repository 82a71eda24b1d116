import { MalformedProgramError, UnsupportedDtypeError } from '@paradox/backend';
import {
  collapseAxes,
  domainPointExprs,
  exprIndices,
  exprOperands,
  groupCoef,
  groupExtent,
  type IndexExpr,
  type IndexForm,
  IndexForms,
  indexAxes,
  type Kernel,
  kernelFacts,
  type ScalarExpr,
} from '@paradox/ir';

/** One distinct index expression of a kernel and its affine form (null: it has div/mod). */
export type { IndexForm } from '@paradox/ir';

/**
 * What the wasm renderers need to know about a kernel: where each expr lives (ir's `kernelFacts`:
 * `rdep`, `after`, `used`, `passes`), its index forms, and its loops: adjacent axes every affine index walks contiguously are
 * collapsed into one loop (group), outermost first. A kernel always has at least one domain group
 * and one reduction group (extent 1 when the rank is 0), so the outer range is well defined.
 */
export class KernelPlan {
  readonly exprs: ScalarExpr[];
  readonly domain: number[];
  readonly rshape: number[];
  readonly rdep: boolean[];
  readonly after: number[];
  readonly used: boolean[];
  readonly passes: number;
  /** Distinct index forms (ir's IndexForms). */
  private readonly indexForms: IndexForms;
  readonly groups: number[][];
  readonly rgroups: number[][];
  readonly extents: number[];
  readonly rextents: number[];
  /** Group of each domain / reduction axis. */
  readonly groupOfAxis = new Map<number, number>();
  readonly groupOfRaxis = new Map<number, number>();

  constructor(
    readonly kernel: Kernel,
    readonly where: string,
    /** Float32 exprs known <= 0 or NaN at every point (`nonPositiveExprs`): their exp needs no upper clamp. */
    readonly nonPositive: ReadonlySet<number> = new Set(),
  ) {
    this.exprs = kernel.exprs;
    this.domain = kernel.domain.map((d, k) => checkExtent(d, `${where}, domain axis ${k}`));
    this.rshape = (kernel.reduce?.shape ?? []).map((d, k) => checkExtent(d, `${where}, reduction axis ${k}`));
    this.indexForms = new IndexForms(this.domain.length, this.rshape.length);
    kernel.exprs.forEach((e, i) => {
      const at = `${where}, expr ${i}`;
      if (e.dtype !== 'float32' && e.dtype !== 'int32' && e.dtype !== 'bool')
        throw new UnsupportedDtypeError(String(e.dtype).slice(0, 40), 'wasm', at);
      const ops = exprOperands(e);
      for (const o of ops)
        if (!Number.isInteger(o) || o < 0 || o >= i)
          throw new MalformedProgramError(
            `expr ${i} refers to expr ${o}, which is not an earlier expr`,
            where,
          );
      for (const ix of exprIndices(e)) this.form(ix, at);
    });
    kernel.stores.forEach((s, j) => {
      if (!Number.isInteger(s.value) || s.value < 0 || s.value >= kernel.exprs.length)
        throw new MalformedProgramError(`store ${j} refers to expr ${s.value}, which does not exist`, where);
    });
    ({ rdep: this.rdep, after: this.after, used: this.used, passes: this.passes } = kernelFacts(kernel));
    kernel.stores.forEach((s, j) => {
      if ((s.phase ?? 'domain') === 'domain' && this.rdep[s.value])
        throw new MalformedProgramError(`store ${j} writes a value that varies over the reduction`, where);
      this.form(s.index, `${where}, store ${j}`);
    });
    // An empty reduction runs none of the exprs that only feed it, and verifyProgram does not
    // range-check their loads: they must not be hoisted out of the (zero-trip) reduction loop.
    if (this.rshape.some((d) => d === 0)) {
      const perPoint = domainPointExprs(kernel);
      this.used.forEach((u, i) => {
        if (u && !perPoint[i]) this.used[i] = false;
      });
    }
    const forms = [...this.forms.values()];
    const blockedAx = new Set<number>();
    const blockedRx = new Set<number>();
    for (const f of forms) {
      if (f.affine) continue;
      indexAxes(f.expr, blockedAx, blockedRx);
    }
    const affine = forms.filter((f) => f.affine);
    this.groups = collapseAxes(
      this.domain,
      affine.map((f) => f.affine!.ax),
      blockedAx,
    );
    this.rgroups = collapseAxes(
      this.rshape,
      affine.map((f) => f.affine!.rx),
      blockedRx,
    );
    if (this.groups.length === 0) this.groups.push([]);
    if (this.rgroups.length === 0) this.rgroups.push([]);
    this.extents = this.groups.map((g) => groupExtent(g, this.domain));
    this.rextents = this.rgroups.map((g) => groupExtent(g, this.rshape));
    this.groups.forEach((g, gi) => {
      for (const k of g) this.groupOfAxis.set(k, gi);
    });
    this.rgroups.forEach((g, gi) => {
      for (const k of g) this.groupOfRaxis.set(k, gi);
    });
  }

  /** Every distinct index form, keyed by canonical form, in id order. */
  get forms(): Map<string, IndexForm> {
    return this.indexForms.all;
  }

  form(ix: IndexExpr, where: string): IndexForm {
    checkIndexExpr(ix, this.domain.length, this.rshape.length, where);
    return this.indexForms.form(ix);
  }

  formsOf(e: ScalarExpr): IndexForm[] {
    return this.indexForms.of(e);
  }

  /** Coefficient of an affine form on domain group `g` / reduction group `rg`. */
  coef(f: IndexForm, g: number): number {
    return groupCoef(this.groups[g]!, this.domain, f.affine!.ax);
  }

  rcoef(f: IndexForm, rg: number): number {
    return groupCoef(this.rgroups[rg]!, this.rshape, f.affine!.rx);
  }

  /** Deepest domain group a form depends on (-1: none). */
  formLevel(f: IndexForm): number {
    if (f.affine) {
      let level = -1;
      for (let g = 0; g < this.groups.length; g++) if (this.coef(f, g) !== 0) level = g;
      return level;
    }
    return Math.max(-1, ...[...indexAxes(f.expr)].map((k) => this.groupOfAxis.get(k)!));
  }

  get numel(): number {
    return this.domain.reduce((a, b) => a * b, 1);
  }
}

/** Loop extents and index constants become i32 immediates: they must be integers that fit. */
export function i32Value(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
    throw new MalformedProgramError(
      `expected a 32-bit integer, got ${typeof v === 'number' ? v : typeof v}`,
      where,
    );
  return v;
}

function checkExtent(d: number, where: string): number {
  if (!Number.isInteger(d) || d < 0 || d >= 2 ** 31)
    throw new MalformedProgramError(`invalid extent ${String(d).slice(0, 40)}`, where);
  return d;
}

function checkIndexExpr(ix: IndexExpr, rank: number, rrank: number, where: string): void {
  switch (ix?.k) {
    case 'const':
      i32Value(ix.v, where);
      return;
    case 'axis':
    case 'raxis': {
      const n = ix.k === 'axis' ? rank : rrank;
      if (!Number.isInteger(ix.axis) || ix.axis < 0 || ix.axis >= n)
        throw new MalformedProgramError(
          `${ix.k} ${String(ix.axis).slice(0, 40)} is out of range (rank ${n})`,
          where,
        );
      return;
    }
    case 'add':
      checkIndexExpr(ix.a, rank, rrank, where);
      checkIndexExpr(ix.b, rank, rrank, where);
      return;
    case 'mul':
    case 'div':
    case 'mod':
      i32Value(ix.c, where);
      if (ix.k !== 'mul' && !(ix.c > 0))
        throw new MalformedProgramError(`${ix.k} by non-positive ${ix.c}`, where);
      checkIndexExpr(ix.a, rank, rrank, where);
      return;
    default:
      throw new MalformedProgramError('unknown index expression kind', where);
  }
}
