import type { Bytes } from './bytes.js';
import { V128 } from './module.js';
import { Op, SimdOp } from './opcodes.js';

/**
 * A module's v128 constants as mutable globals, one per distinct value. V8 (TurboFan) rematerializes
 * every `v128.const` at each use with three instructions, inside loops too; a function that copies
 * a global into a local once at entry keeps the value in a register (or one stack slot) instead.
 */
export class ConstantPool {
  private readonly keys = new Map<string, number>();
  private readonly values: Uint8Array[] = [];

  /** Global index holding these 16 bytes. */
  index(bytes: Uint8Array): number {
    const key = bytes.join(',');
    let at = this.keys.get(key);
    if (at === undefined) {
      at = this.values.length;
      this.values.push(bytes.slice());
      this.keys.set(key, at);
    }
    return at;
  }

  get size(): number {
    return this.values.length;
  }

  /** The global section's contents. */
  encode(out: Bytes): void {
    out.u32(this.values.length);
    for (const v of this.values)
      out.byte(V128).byte(0x01).byte(0xfd).u32(SimdOp.v128Const).raw(v).byte(Op.end);
  }
}
