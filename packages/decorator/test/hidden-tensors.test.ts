import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { JitArgumentError, jit, StaticGraph } from '../src/index.js';
import { expectValues } from './helpers.js';

class Params {
  constructor(public w: Tensor) {}
}

describe('tensors hidden in Maps, Sets and class instances (issue 18 item 5)', () => {
  it('a Map argument holding tensors is refused, never a stale result', () => {
    const f = jit((x: Tensor, params: Map<string, Tensor>) => x.mul(params.get('w')!));
    const params = new Map([['w', tensor([2, 2])]]);
    expect(() => f(tensor([1, 3]), params)).toThrow(JitArgumentError);
    expect(() => f(tensor([1, 3]), params)).toThrow(/arg 1 is a Map holding a tensor \(arg 1\.get\("w"\)\)/);
    params.set('w', tensor([10, 10]));
    expect(() => f(tensor([1, 3]), params)).toThrow(JitArgumentError);
    expect(f.cacheInfo().size).toBe(0);
  });

  it('a class instance (also nested in a pytree, or a Set) holding tensors is refused', () => {
    const f = jit((x: Tensor, p: { inner: Params }) => x.mul(p.inner.w));
    expect(() => f(tensor([1]), { inner: new Params(tensor([3])) })).toThrow(
      /arg 1\.inner is an instance of Params holding a tensor \(arg 1\.inner\.w\)/,
    );
    const g = jit((x: Tensor, s: Set<Tensor>) => x.add([...s][0]!));
    expect(() => g(tensor([1]), new Set([tensor([1])]))).toThrow(/arg 1 is a Set holding a tensor/);
    expect(() =>
      StaticGraph.capture(
        (x: Tensor, m: Map<string, Tensor>) => x.add(m.get('b')!),
        tensor([1]),
        new Map([['b', tensor([1])]]),
      ),
    ).toThrow(JitArgumentError);
  });

  it('a @jit receiver field that is a class instance holding tensors is refused', () => {
    class Model {
      constructor(public layer: Params) {}
      apply(x: Tensor): Tensor {
        return x.mul(this.layer.w);
      }
    }
    const apply = jit(Model.prototype.apply, {
      kind: 'method',
      name: 'apply',
      static: false,
      private: false,
      access: { has: () => true, get: () => undefined },
      addInitializer: () => {},
      metadata: {},
    } as unknown as ClassMethodDecoratorContext);
    expect(() => apply.call(new Model(new Params(tensor([2]))), tensor([3]))).toThrow(
      /this\.layer is an instance of Params holding a tensor \(this\.layer\.w\)/,
    );
  });

  it('declared static, or holding no tensor, the value is keyed by identity as before', () => {
    const params = new Map([['w', tensor([2, 2])]]);
    const f = jit((x: Tensor, p: Map<string, Tensor>) => x.mul(p.get('w')!), { static: [1] });
    expectValues(f(tensor([1, 3]), params), [2, 6]);
    const scales = new Map([['s', 4]]);
    const g = jit((x: Tensor, s: Map<string, number>) => x.mul(s.get('s')!));
    expectValues(g(tensor([1, 3]), scales), [4, 12]);
    // Plain objects are pytrees: their tensors are inputs, so a change is seen.
    const h = jit((x: Tensor, p: { w: Tensor }) => x.mul(p.w));
    const obj = { w: tensor([2, 2]) };
    expectValues(h(tensor([1, 3]), obj), [2, 6]);
    obj.w = tensor([10, 10]);
    expectValues(h(tensor([1, 3]), obj), [10, 30]);
  });
});

describe('graph input names (issue 18 item 7)', () => {
  it('functions with statics name inputs after their parameters, not %arg<i>', () => {
    const f = jit((x: Tensor, scale: number, bias: Tensor) => x.mul(scale).add(bias), { static: [1] });
    f(tensor([1]), 2, tensor([1]));
    expect(f.inspect().traced).toMatch(/^graph @\w+\(%x: f32\[1\], %bias: f32\[1\]\)/);
  });
});
