import { GraphBuilder, type ValueId } from '@paradox/ir';

/** Graph-building helpers shaped like the tracer's output (explicit broadcasts for scalars). */
export class G {
  b: GraphBuilder;
  constructor(name = 'f') {
    this.b = new GraphBuilder(name);
  }
  in(id: string, shape: number[], dtype: 'float32' | 'int32' = 'float32'): ValueId {
    return this.b.input(id, { dtype, shape });
  }
  shape(v: ValueId): number[] {
    return this.b.typeOf(v).shape;
  }
  scalar(value: number, like: ValueId): ValueId {
    const c = this.b.op('constant', [], { value, dtype: this.b.typeOf(like).dtype });
    return this.b.op('broadcast', [c], { shape: this.shape(like) });
  }
  bcast(v: ValueId, shape: number[]): ValueId {
    return this.b.op('broadcast', [v], { shape });
  }
  un(op: string, a: ValueId): ValueId {
    return this.b.op(op, [a]);
  }
  bin(op: string, a: ValueId, b: ValueId): ValueId {
    return this.b.op(op, [a, b]);
  }
  reduce(op: string, a: ValueId, axes: number[], keepdims = true): ValueId {
    return this.b.op(op, [a], { axes, keepdims });
  }
  softmax(x: ValueId): ValueId {
    const s = this.shape(x);
    const m = this.bcast(this.reduce('max', x, [s.length - 1]), s);
    const e = this.un('exp', this.bin('sub', x, m));
    const sum = this.bcast(this.reduce('sum', e, [s.length - 1]), s);
    return this.bin('div', e, sum);
  }
  layerNorm(x: ValueId, eps = 1e-5): ValueId {
    const s = this.shape(x);
    const n = s[s.length - 1]!;
    const ax = [s.length - 1];
    const mean = this.reduce('sum', x, ax);
    const meanN = this.bin('div', mean, this.scalar(n, mean));
    const xc = this.bin('sub', x, this.bcast(meanN, s));
    const v = this.reduce('sum', this.bin('mul', xc, xc), ax);
    const vn = this.bin('div', v, this.scalar(n, v));
    const r = this.un('rsqrt', this.bin('add', vn, this.scalar(eps, vn)));
    return this.bin('mul', xc, this.bcast(r, s));
  }
  out(...ids: ValueId[]) {
    this.b.output(...ids);
    return this.b.build();
  }
}
