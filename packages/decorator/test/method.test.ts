import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import type * as jitModule from '../src/index.js';
import { jit } from '../src/index.js';
import { expectSame, expectValues } from './helpers.js';

/** Real `@jit` syntax (the root vitest config lowers TC39 decorators with esbuild, as tsx does). */
async function loadDecoratedFixture(): Promise<Record<string, new (...args: never[]) => unknown>> {
  return (await import('./fixtures/decorated-mlp.js')) as unknown as Record<
    string,
    new (
      ...args: never[]
    ) => unknown
  >;
}

/** The TC39 decorator protocol by hand: what `@jit` on `name` does. */
function methodContext(name: string): ClassMethodDecoratorContext {
  return {
    kind: 'method',
    name,
    static: false,
    private: false,
    access: { has: () => true, get: () => undefined },
    addInitializer: () => {},
    metadata: {},
  } as unknown as ClassMethodDecoratorContext;
}

let layerTraces = 0;
class Layer {
  constructor(
    public w: Tensor,
    public b: Tensor,
    public activation: 'relu' | 'neg',
  ) {}
  forward(x: Tensor): Tensor {
    layerTraces++;
    const y = x.mul(this.w).add(this.b);
    return this.activation === 'relu' ? y.relu() : y.neg();
  }
}
const forward = jit(Layer.prototype.forward, methodContext('forward'));

describe('@jit on methods', () => {
  it('reads tensors from `this` as inputs: two instances share one program with their own weights', () => {
    const a = new Layer(tensor([1, 2]), tensor([0, -10]), 'relu');
    const b = new Layer(tensor([-1, 3]), tensor([5, 5]), 'relu');
    const x = tensor([4, 6]);
    expectValues(forward.call(a, x), [4, 2]);
    expectValues(forward.call(b, x), [1, 23]);
    expect(forward.cacheInfo()).toMatchObject({ traces: 1, hits: 1 });
    expect(layerTraces).toBe(1);
    expect(forward.inspect().traced).toMatch(
      /^graph @forward\(%this_b: f32\[2\], %this_w: f32\[2\], %x: f32\[2\]\)/,
    );
    expect(forward.inspect().traced).not.toContain('const');
    // the receiver's fields are restored after tracing
    expect(a.w.dataSync()).toEqual(new Float32Array([1, 2]));
  });

  it('sees reassigned weights (they are inputs, not baked constants)', () => {
    const a = new Layer(tensor([1, 1]), tensor([0, 0]), 'relu');
    const x = tensor([2, 3]);
    expectValues(forward.call(a, x), [2, 3]);
    a.w = tensor([10, 10]);
    expectValues(forward.call(a, x), [20, 30]);
  });

  it('keys non-tensor fields as static values', () => {
    const a = new Layer(tensor([1, 1]), tensor([0, 0]), 'relu');
    const n = new Layer(tensor([1, 1]), tensor([0, 0]), 'neg');
    const x = tensor([2, -3]);
    const before = forward.cacheInfo().traces;
    expectValues(forward.call(a, x), [2, 0]);
    expectValues(forward.call(n, x), [-2, 3]);
    expect(forward.cacheInfo().traces).toBe(before + 1);
    expect(forward.explainCacheMiss()).toBe('this.activation static value "relu" -> "neg"');
  });

  it('works through real decorator syntax (TC39 decorators)', async () => {
    const { Mlp, Scaled } = await loadDecoratedFixture();
    type MlpT = {
      w: Tensor;
      b: Tensor;
      forward: ((x: Tensor) => Tensor) & jitModule.JitControls<[unknown, Tensor]>;
    };
    const MlpClass = Mlp as unknown as new (w: Tensor, b: Tensor) => MlpT;
    const w1 = tensor([
      [1, 0],
      [0, 1],
    ]);
    const w2 = tensor([
      [0, 2],
      [-1, 0],
    ]);
    const bias = tensor([0, 0]);
    const m1 = new MlpClass(w1, bias);
    const m2 = new MlpClass(w2, bias);
    const x = tensor([[3, -4]]);
    expectValues(m1.forward(x), [3, 0]);
    expectValues(m2.forward(x), [4, 6]);
    expectSame(m2.forward(x), x.matmul(w2).add(bias).relu());
    expect(m1.forward.cacheInfo()).toMatchObject({ traces: 1, misses: 1, hits: 2 });
    expect(m1.forward.inspect(m2, x).kernelCount).toBe(1);

    type ScaledT = { apply(x: Tensor): Tensor };
    const ScaledClass = Scaled as unknown as new (w: Tensor, config: { scale: number }) => ScaledT;
    const config = { scale: 2 };
    const s = new ScaledClass(tensor([1, 2]), config);
    expectValues(s.apply(tensor([3, 3])), [6, 12]);

    const { Doubler } = await loadDecoratedFixture();
    const d = new (Doubler as unknown as new () => { double(x: Tensor): Tensor })();
    expectValues(d.double(tensor([1, 4])), [2, 8]);
  });
});
