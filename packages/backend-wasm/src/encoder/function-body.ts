import { Bytes } from './bytes.js';
import type { ConstantPool } from './constant-pool.js';
import { F32, F64, I32, V128, type ValType } from './module.js';
import { FcOp, Op, SimdOp } from './opcodes.js';

/** Block result types: none, or one value. */
export const EMPTY = 0x40;

/**
 * One function's locals and instructions. Locals are numbered after the parameters; helpers emit
 * whole instructions so callers never hand-encode immediates.
 */
export class FunctionBody {
  readonly code = new Bytes();
  private readonly locals: ValType[] = [];
  /** Where v128 constants go when hoisted: the module's pool, and the local holding each global. */
  private pool?: ConstantPool;
  private readonly constantLocals = new Map<number, number>();
  private readonly prologue = new Bytes();

  constructor(private readonly paramCount = 0) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  op(byte: number): this {
    this.code.byte(byte);
    return this;
  }

  simd(op: number): this {
    this.code.byte(0xfd).u32(op);
    return this;
  }

  /** A lane instruction (extract/replace_lane) with its lane immediate. */
  lane(op: number, lane: number): this {
    this.code.byte(0xfd).u32(op).byte(lane);
    return this;
  }

  /** i8x16.shuffle of the two v128 on the stack: byte lane i of the result is byte `lanes[i]` of the pair. */
  shuffle(lanes: readonly number[]): this {
    this.code.byte(0xfd).u32(SimdOp.i8x16Shuffle);
    for (const l of lanes) this.code.byte(l);
    return this;
  }

  fc(op: number): this {
    this.code.byte(0xfc).u32(op);
    return this;
  }

  i32(v: number): this {
    this.code.byte(Op.i32Const).s32(v);
    return this;
  }

  f32(v: number): this {
    this.code.byte(Op.f32Const).f32(v);
    return this;
  }

  f64(v: number): this {
    this.code.byte(Op.f64Const).f64(v);
    return this;
  }

  /** Four copies of a float32 constant, as one v128.const (cheaper than a splat in loops). */
  v128Splat(v: number): this {
    return this.v128Constant(Bytes.constant.reset().f32Repeated(v, 4));
  }

  i32x4Splat(v: number): this {
    return this.v128Constant(Bytes.constant.reset().i32Repeated(v, 4));
  }

  /**
   * From now on, every v128 constant is read from a local copied once at entry from a global of
   * `pool` (see ConstantPool: V8 rematerializes each v128.const at every use, in loops too).
   */
  hoistConstants(pool: ConstantPool): this {
    this.pool = pool;
    return this;
  }

  private v128Constant(bytes: Bytes): this {
    if (!this.pool) {
      this.code.byte(0xfd).u32(SimdOp.v128Const).append(bytes);
      return this;
    }
    const global = this.pool.index(bytes.view());
    let at = this.constantLocals.get(global);
    if (at === undefined) {
      at = this.local(V128);
      this.constantLocals.set(global, at);
      this.prologue.byte(Op.globalGet).u32(global).byte(Op.localSet).u32(at);
    }
    return this.get(at);
  }

  get(i: number): this {
    this.code.byte(Op.localGet).u32(i);
    return this;
  }

  set(i: number): this {
    this.code.byte(Op.localSet).u32(i);
    return this;
  }

  tee(i: number): this {
    this.code.byte(Op.localTee).u32(i);
    return this;
  }

  /** A load or store with its memarg: log2 alignment and a constant byte offset. */
  mem(op: number, align: number, offset: number): this {
    this.code.byte(op).u32(align).u32(offset);
    return this;
  }

  /** A SIMD load or store; `align` is log2 of the alignment hint (4: 16 bytes). */
  simdMem(op: number, offset: number, align = 4): this {
    this.code.byte(0xfd).u32(op).u32(align).u32(offset);
    return this;
  }

  block(type: number = EMPTY): this {
    this.code.byte(Op.block).byte(type);
    return this;
  }

  loop(type: number = EMPTY): this {
    this.code.byte(Op.loop).byte(type);
    return this;
  }

  if(type: number = EMPTY): this {
    this.code.byte(Op.if).byte(type);
    return this;
  }

  else(): this {
    return this.op(Op.else);
  }

  end(): this {
    return this.op(Op.end);
  }

  br(depth: number): this {
    this.code.byte(Op.br).u32(depth);
    return this;
  }

  brIf(depth: number): this {
    this.code.byte(Op.brIf).u32(depth);
    return this;
  }

  call(index: number): this {
    this.code.byte(Op.call).u32(index);
    return this;
  }

  truncSat(): this {
    return this.fc(FcOp.i32TruncSatF32S);
  }

  /** Function body bytes: local declarations (run-length by type), code, end. */
  encode(): Bytes {
    const out = new Bytes();
    const runs: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    out.u32(runs.length);
    for (const [n, t] of runs) out.u32(n).byte(t);
    out.append(this.prologue).append(this.code).byte(Op.end);
    return out;
  }
}

export { F32, F64, I32, V128 };
