import { type KernelProgram, nonPositiveExprs } from '@paradox/ir';
import { FunctionBody, I32 } from '../encoder/function-body.js';
import { type FuncType, ModuleBuilder, V128, type ValType } from '../encoder/module.js';
import { contractionRows, planContraction, renderContraction } from './contraction.js';
import { ExprEmitter, type Layout } from './expr-emitter.js';
import { HELPER_NAMES, type HelperName, helperSignature } from './helpers.js';
import { KernelPlan } from './kernel-plan.js';
import { LoopNest } from './loop-nest.js';
import type { Dt } from './scalar-ops.js';
import { EMIT_MATH, type MathFn } from './simd-math.js';
import { VectorEmitter } from './vector-emitter.js';

export interface ModuleOptions {
  /** Pages the imported memory may grow to (the Memory's maximum). */
  maxPages: number;
  shared: boolean;
  /** Emit SIMD128: vector loops and the f32x4 math functions. */
  simd: boolean;
}

/** How a kernel's range may be split across threads. */
export interface KernelRange {
  /** Extent of its outermost loop: `k<i>(lo, hi)` covers [lo, hi) of [0, extent). */
  extent: number;
  /** Split points must be multiples of this (vector loops without a scalar tail). */
  align: number;
  /** Points times reduction length: whether splitting is worth a wake-up. */
  work: number;
  /** Calls imported JS helpers: runs on the thread that has them. */
  usesHelpers: boolean;
}

export interface ProgramModule {
  bytes: Uint8Array;
  kernels: KernelRange[];
  /** Bytes of per-thread scratch the kernels need (row caches), passed as the last argument. */
  scratchBytes: number;
  /** Address arguments before the scratch one: the program's inputs then outputs. */
  ioCount: number;
}

/**
 * One module per program: imports the backend's memory and the helpers, defines
 * `k<i>(lo, hi, ...io, scratch)` per kernel (its outermost loop over [lo, hi)) and
 * `run(...io, scratch)`, which calls every kernel over its whole range in order. `io` are the byte
 * addresses of the program's inputs then outputs, which live wherever the caller's buffers are;
 * `scratch` is the calling thread's scratch (row caches); temporaries and constants sit at addresses
 * fixed by `layout`, constants in the code. No text from the IR is embedded.
 */
export function buildProgramModule(
  program: KernelProgram,
  layout: Layout,
  options: ModuleOptions,
): ProgramModule {
  const m = new ModuleBuilder();
  m.importMemory(1, options.maxPages, options.shared);
  const helperIndex = new Map<HelperName, number>();
  for (const name of HELPER_NAMES) helperIndex.set(name, m.importFunction('h', name, helperSignature(name)));
  const helpers = (name: HelperName) => helperIndex.get(name)!;
  const math = options.simd ? addMathFunctions(m) : undefined;
  const kernels: KernelRange[] = [];
  const first = m.nextFunctionIndex();
  const io = [...program.inputs, ...program.outputs];
  const ioParam = new Map(io.map((id, i) => [id, 2 + i]));
  // (lo, hi, ...io, scratch)
  const kernelType: FuncType = { params: [I32, I32, ...io.map((): ValType => I32), I32], results: [] };
  const scratchLocal = 2 + io.length;
  let scratchBytes = 0;
  const kernelLayout: Layout = (buffer, where) => {
    const param = ioParam.get(buffer);
    if (param === undefined) return layout(buffer, where);
    const decl = program.buffers.find((b) => b.id === buffer)!;
    return { offset: 0, dtype: decl.dtype as Dt, base: param };
  };
  program.kernels.forEach((kernel, k) => {
    const where = `kernel ${k}`;
    const plan = new KernelPlan(kernel, where, nonPositiveExprs(program, k));
    const body = new FunctionBody(3 + io.length);
    if (options.simd) body.hoistConstants(m.constants);
    const x = new ExprEmitter(body, plan, kernelLayout, helpers, math);
    const vec = math && new VectorEmitter(x, math);
    const contraction = plan.numel > 0 ? planContraction(plan, x, vec) : undefined;
    const work =
      plan.numel *
      Math.max(
        1,
        plan.rshape.reduce((a, b) => a * b, 1),
      );
    if (contraction) {
      renderContraction(contraction, plan, x, vec);
      kernels.push({
        extent: contractionRows(contraction, plan),
        align: 1,
        work,
        usesHelpers: x.usesHelpers,
      });
    } else {
      const nest = new LoopNest(plan, x, vec, scratchLocal);
      nest.render();
      scratchBytes = Math.max(scratchBytes, nest.scratchBytes);
      const extent = plan.numel === 0 ? 0 : plan.extents[0]!;
      kernels.push({ extent, align: Math.max(nest.align, vec ? 4 : 1), work, usesHelpers: x.usesHelpers });
    }
    m.addFunction(kernelType, body, `k${k}`);
  });
  const run = new FunctionBody(io.length + 1);
  kernels.forEach(({ extent }, k) => {
    if (extent === 0) return;
    run.i32(0).i32(extent);
    for (let i = 0; i <= io.length; i++) run.get(i);
    run.call(first + k);
  });
  m.addFunction({ params: [...io.map((): ValType => I32), I32], results: [] }, run, 'run');
  return { bytes: m.encode(), kernels, scratchBytes, ioCount: io.length };
}

const VECTOR_FN: FuncType = { params: [V128], results: [V128] };

/** Defines exp, log, tanh and sigmoid on f32x4 (for scalar code); returns their function indices. */
function addMathFunctions(m: ModuleBuilder): (fn: MathFn) => number {
  const index = {} as Record<MathFn, number>;
  for (const fn of Object.keys(EMIT_MATH) as MathFn[]) {
    const body = new FunctionBody(1).hoistConstants(m.constants);
    EMIT_MATH[fn](body, 0);
    index[fn] = m.addFunction(VECTOR_FN, body);
  }
  return (fn) => index[fn];
}
