/** A growable byte buffer with the WebAssembly binary format's number encodings (LEB128, IEEE LE). */
export class Bytes {
  private buf = new Uint8Array(256);
  private len = 0;
  private static readonly scratch = new DataView(new ArrayBuffer(8));
  private static readonly scratchBytes = new Uint8Array(Bytes.scratch.buffer);

  /** Scratch for one 16-byte constant being built (read before the next one is). */
  static readonly constant = new Bytes();

  /** Empties the buffer (keeps its capacity). */
  reset(): this {
    this.len = 0;
    return this;
  }

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
    return this.raw(Bytes.scratchBytes.subarray(0, 4));
  }

  /** The same 4 bytes `count` times (v128 constants of equal lanes). */
  f32Repeated(v: number, count: number): this {
    Bytes.scratch.setFloat32(0, v, true);
    const four = Bytes.scratchBytes.subarray(0, 4);
    for (let i = 0; i < count; i++) this.raw(four);
    return this;
  }

  i32Repeated(v: number, count: number): this {
    Bytes.scratch.setInt32(0, v, true);
    const four = Bytes.scratchBytes.subarray(0, 4);
    for (let i = 0; i < count; i++) this.raw(four);
    return this;
  }

  f64(v: number): this {
    Bytes.scratch.setFloat64(0, v, true);
    return this.raw(Bytes.scratchBytes.subarray(0, 8));
  }

  raw(bytes: ArrayLike<number>): this {
    const n = bytes.length;
    this.reserve(n);
    if (n <= 8) for (let i = 0; i < n; i++) this.buf[this.len + i] = bytes[i]!;
    else this.buf.set(bytes, this.len);
    this.len += n;
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
