import {
  donatableOutputs,
  type Kernel,
  type KernelProgram,
  nonPositiveExprs,
  numel,
  type ScalarExpr,
  type Store,
  storedRun,
} from '@paradox/ir';

/** A kernel to render, with its float32 exprs known to be <= 0 or NaN (ir's `nonPositiveExprs`). */
export interface RowKernel {
  kernel: Kernel;
  nonPositive: Set<number>;
}

/**
 * Row fusion: consecutive reduce kernels over the same domain and the same reduction domain, where
 * the later one reads what the earlier one stored only at its own domain point (softmax's max then
 * its sum of exp(x - max) and division; layerNorm's mean then its variance and scaling), become one
 * kernel with two reduction passes. Each domain point (a row) then runs every pass back to back, so
 * the row is read from memory once and from L1 afterwards, and the program forks threads once
 * instead of once per kernel. The later kernel's loads of the earlier one's results become the
 * stored values themselves; the earlier stores stay (other kernels or the caller may read them).
 *
 * Legal when, in the interleaved order A(0) B(0) A(1) B(1) ..., every read sees what it did in
 * A(all) then B(all): B writes no memory A reads or writes (buffers, shared memory-plan slots and
 * donatable output/input pairs count as the same memory), and B reads A's stores only at the index
 * A's point writes, a one-to-one map of the domain, so the value is the one A(p) just computed.
 */
export function fuseRowKernels(program: KernelProgram): Kernel[] {
  return fuseRows(program).map((r) => r.kernel);
}

/**
 * fuseRowKernels, each kernel with the exprs `nonPositiveExprs` proves <= 0 or NaN in the program
 * as lowered, renumbered into the fused kernel: fusion is legal only where every value is the one
 * the kernels computed one after the other, so what holds of a value there holds here.
 */
export function fuseRows(program: KernelProgram): RowKernel[] {
  const memory = memoryOf(program);
  const out: RowKernel[] = [];
  program.kernels.forEach((kernel, k) => {
    const nonPositive = nonPositiveExprs(program, k);
    const prev = out.at(-1);
    const fused = prev ? fusePair(prev.kernel, kernel, program, memory) : undefined;
    if (!fused) out.push({ kernel, nonPositive });
    else {
      for (const i of nonPositive) prev!.nonPositive.add(fused.remap[i]!);
      prev!.kernel = fused.kernel;
    }
  });
  return out;
}

/** Memory identity of each buffer: a temp's slot, else the buffer; donatable outputs share their input's. */
function memoryOf(program: KernelProgram): (buffer: number) => string {
  const names = new Map<number, string>();
  for (const b of program.buffers)
    names.set(b.id, b.kind === 'temp' && b.slot !== undefined ? `slot${b.slot}` : `buffer${b.id}`);
  const donated = donatableOutputs(
    program,
    program.inputs.map((_, j) => j),
  );
  for (const [o, j] of donated) names.set(program.outputs[o]!, names.get(program.inputs[j]!)!);
  return (buffer) => names.get(buffer) ?? `buffer${buffer}`;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** The fused kernel, and where each of b's exprs went in it. */
function fusePair(
  a: Kernel,
  b: Kernel,
  program: KernelProgram,
  memory: (buffer: number) => string,
): { kernel: Kernel; remap: number[] } | undefined {
  if (a.kind !== 'reduce' || b.kind !== 'reduce' || !a.reduce || !b.reduce) return undefined;
  if (!sameShape(a.domain, b.domain) || !sameShape(a.reduce.shape, b.reduce.shape)) return undefined;
  if (numel(a.domain) === 0 || numel(a.reduce.shape) === 0) return undefined;
  // A's reduction-phase stores would move after B's passes; keep such kernels apart.
  if (a.stores.some((s) => s.phase === 'reduction')) return undefined;

  // A's stores by buffer: one domain-phase store per buffer, a one-to-one map of the domain.
  const decls = new Map(program.buffers.map((d) => [d.id, d]));
  const aStores = new Map<number, Store>();
  for (const s of a.stores) {
    if (aStores.has(s.buffer)) return undefined;
    aStores.set(s.buffer, s);
  }
  const aWrites = new Set(a.stores.map((s) => memory(s.buffer)));
  const aReads = new Set(a.exprs.flatMap((e) => (e.op === 'load' ? [memory(e.buffer)] : [])));
  for (const s of b.stores) {
    const m = memory(s.buffer);
    if (aWrites.has(m) || aReads.has(m)) return undefined;
  }

  // B's exprs after A's; a load of A's store at its own index is replaced by the stored value.
  const remap: number[] = [];
  const exprs: ScalarExpr[] = [...a.exprs];
  for (const [j, e] of b.exprs.entries()) {
    if (e.op === 'load' && aWrites.has(memory(e.buffer))) {
      const s = aStores.get(e.buffer);
      if (!s || e.guard?.length || e.dynamic) return undefined;
      if (JSON.stringify(e.index) !== JSON.stringify(s.index)) return undefined;
      if (a.exprs[s.value]!.dtype !== e.dtype || decls.get(e.buffer)?.dtype !== e.dtype) return undefined;
      if (!oneToOne(s, a.domain, decls.get(e.buffer)?.size ?? -1)) return undefined;
      remap[j] = s.value;
      continue;
    }
    remap[j] = exprs.length;
    exprs.push(renumber(e, (i) => remap[i]!));
  }
  const kernel: Kernel = {
    ...a,
    exprs,
    stores: [...a.stores, ...b.stores.map((s) => ({ ...s, value: remap[s.value]! }))],
    sourceNodes: [...(a.sourceNodes ?? []), ...(b.sourceNodes ?? [])],
  };
  return { kernel, remap };
}

/** Whether store `s` writes each element of a buffer of `size` from exactly one domain point. */
function oneToOne(s: Store, domain: number[], size: number): boolean {
  const run = storedRun(s, domain, []);
  return run !== undefined && run[0] === 0 && run[1] === size - 1 && numel(domain) === size;
}

/** `e` with its scalar operands renumbered by `to`. */
function renumber(e: ScalarExpr, to: (i: number) => number): ScalarExpr {
  switch (e.op) {
    case 'unary':
    case 'cast':
    case 'reduce':
      return { ...e, a: to(e.a) };
    case 'binary':
      return { ...e, a: to(e.a), b: to(e.b) };
    case 'where':
      return { ...e, c: to(e.c), a: to(e.a), b: to(e.b) };
    case 'load':
      return e.dynamic ? { ...e, dynamic: { ...e.dynamic, value: to(e.dynamic.value) } } : e;
    default:
      return e;
  }
}
