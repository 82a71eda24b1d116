import type { Bound, IndexForm } from '@paradox/ir';
import { F32, I32, V128 } from '../encoder/function-body.js';
import { Op, SimdOp as S } from '../encoder/opcodes.js';
import type { BufferLocation, ExprEmitter, IndexContext } from './expr-emitter.js';

/**
 * A float32 load with guards (padding) for four points along a vector loop, the index and every
 * guard moving by `coef(form)` >= 0 elements per lane. When the guards hold for lane 0's lower
 * bounds and lane 3's upper bounds (so for every lane: indices only grow along the lanes), one
 * v128 load (or a splat where the index does not move); otherwise (the border) each lane is a
 * guarded scalar load or the fill value. Leaves the v128 on the stack.
 */
export function emitGuardedVectorLoad(
  x: ExprEmitter,
  form: IndexForm,
  guards: Bound[],
  buf: BufferLocation,
  other: number,
  ctx: IndexContext,
  coef: (f: IndexForm) => number,
): void {
  const b = x.b;
  const where = x.plan.where;
  const step = coef(form);
  const forms = guards.map((g) => x.plan.form(g.expr, where));
  const first = forms.map(() => b.local(I32));
  forms.forEach((f, j) => {
    x.index(f, ctx);
    b.tee(first[j]!).i32(guards[j]!.lo).op(Op.i32GeS);
    b.get(first[j]!)
      .i32(3 * coef(f))
      .op(Op.i32Add)
      .i32(guards[j]!.hi)
      .op(Op.i32LtS)
      .op(Op.i32And);
    if (j > 0) b.op(Op.i32And);
  });
  b.if(V128);
  x.address(form, buf, ctx);
  if (step === 0) b.simdMem(S.v128Load32Splat, buf.offset, 2);
  else b.simdMem(S.v128Load, buf.offset);
  b.else();
  const address = b.local(I32);
  x.address(form, buf, ctx);
  b.set(address).v128Splat(other);
  const t = b.local(I32);
  for (let lane = 0; lane < 4; lane++) {
    forms.forEach((f, j) => {
      b.get(first[j]!)
        .i32(lane * coef(f))
        .op(Op.i32Add)
        .tee(t)
        .i32(guards[j]!.lo)
        .op(Op.i32GeS);
      b.get(t).i32(guards[j]!.hi).op(Op.i32LtS).op(Op.i32And);
      if (j > 0) b.op(Op.i32And);
    });
    b.if(F32);
    // The lane's address in i32 arithmetic: lane 0's may be below 0 (outside its guards).
    b.get(address)
      .i32(4 * lane * step)
      .op(Op.i32Add)
      .mem(Op.f32Load, 2, buf.offset);
    b.else().f32(other).end();
    b.lane(S.f32x4ReplaceLane, lane);
  }
  b.end();
}
