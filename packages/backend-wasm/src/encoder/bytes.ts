/** A growable byte buffer with the WebAssembly binary format's number encodings (LEB128, IEEE LE). */
export class Bytes {
  private buf = new Uint8Array(256);
  private len = 0;
  private static readonly scratch = new DataView(new ArrayBuffer(8));

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(v: number): this {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.byte(b);
    } while (x !== 0);
    return this;
  }

  /** Signed LEB128 (i32). */
  s32(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  f32(v: number): this {
    Bytes.scratch.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.byte(Bytes.scratch.getUint8(i));
    return this;
  }

  f64(v: number): this {
    Bytes.scratch.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.byte(Bytes.scratch.getUint8(i));
    return this;
  }

  raw(bytes: ArrayLike<number>): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  append(other: Bytes): this {
    return this.raw(other.view());
  }

  /** A UTF-8 name with its length (only compiler-made names: 'env', 'memory', 'k0'...). */
  name(s: string): this {
    const enc = new TextEncoder().encode(s);
    return this.u32(enc.length).raw(enc);
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
