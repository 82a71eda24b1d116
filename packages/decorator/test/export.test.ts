import { interpret } from '@paradox/ir';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { JitArgumentError, JitExportError, jit, loadCompiled, StaticGraph } from '../src/index.js';
import { expectSame, expectValues } from './helpers.js';

describe('StaticGraph', () => {
  const x = tensor([1, -2, 3, -4]);
  const b = tensor([0.5, 0.5, 0.5, 0.5]);

  it('captures, prints, runs and optimizes', () => {
    const g = StaticGraph.capture((x: Tensor, b: Tensor) => x.add(b).relu(), x, b);
    expect(g.toString()).toMatch(/^graph @\w*\(%\w+: f32\[4\], %\w+: f32\[4\]\) \{\n.*= add .*\n.*= relu /);
    const reference = interpret(g.graph, [x.dataSync(), b.dataSync()]);
    expectValues(g.run(x, b), Array.from(reference[0]!.data));
    expectValues(g.run(x, b), [1.5, 0, 3.5, 0]);
    const fast = g.optimize({ pipeline: 'default', backend: 'js', verify: true });
    expectValues(fast.run(x, b), [1.5, 0, 3.5, 0]);
    expect(fast.inspect().kernelCount).toBe(1);
    expect(fast.toString()).toContain('#g0');
  });

  it('accepts a pipeline as a list and checks run() arguments', () => {
    const g = StaticGraph.capture((x: Tensor) => x.mul(1).add(0).exp(), x);
    const fast = g.optimize({ pipeline: ['fixpoint(dce,cse,fold)', 'fusion'] });
    expect(fast.inspect().pipeline).toBe('fixpoint(dce,cse,fold),fusion');
    expect(fast.inspect().optimized).not.toMatch(/= mul /);
    expectSame(fast.run(x), x.exp());
    expect(() => fast.run(tensor([1, 2]))).toThrow(JitArgumentError);
    expect(() => fast.run(tensor([1, 2]))).toThrow(/arg 0 shape \[4\] -> \[2\]/);
  });
});

describe('inspect', () => {
  it('returns the IR around every pass, the kernels, their source and the fusion report', () => {
    const f = jit((x: Tensor, b: Tensor) => x.add(b).relu().mul(1));
    f(tensor([1, 2]), tensor([3, 4]));
    const info = f.inspect();
    expect(info.backend).toBe('js');
    expect(info.pipeline).toBe('fixpoint(dce,cse,fold),layout,fusion');
    expect(info.passes.map((p) => p.pass)).toContain('fusion');
    const fold = info.passes.find((p) => p.pass === 'fold' && p.changed)!;
    expect(fold.before).toMatch(/= mul /);
    expect(fold.after).not.toMatch(/= mul /);
    expect(info.program).toMatch(/kernel k0 elementwise/);
    expect(info.sources).toHaveLength(info.kernelCount);
    expect(info.sources[0]).toMatch(/function kernel/);
    expect(info.fusionReport!.kernels).toHaveLength(1);
    expect(info.fusionReportText).toMatch(/fusion: 1 kernel/);
  });
});

describe('export and loadCompiled', () => {
  it('round-trips a compiled program with pytrees and statics, giving identical results', () => {
    let traces = 0;
    const f = jit((p: { w: Tensor; b: Tensor }, x: Tensor, scale: number) => {
      traces++;
      return [x.matmul(p.w).add(p.b).mul(scale), x.sum()];
    });
    const params = {
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: tensor([1, -1]),
    };
    const x = tensor([[1, -1]]);
    const [y, s] = f(params, x, 2) as [Tensor, Tensor];
    const json = f.export();
    const loaded = loadCompiled(json);
    const [y2, s2] = loaded.run(params, x, 2) as [Tensor, Tensor];
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
    expect(Array.from(s2.dataSync())).toEqual(Array.from(s.dataSync()));
    expectValues(y2, [-2, -6], [1, 2]);
    expect(traces).toBe(1);
    // a static value is checked, not silently reused
    expect(() => loaded.run(params, x, 3)).toThrow(/arg 2 static value 2 -> 3/);
  });

  it('requires aliased inputs to stay aliased in a loaded program', () => {
    const f = jit((x: Tensor, y: Tensor) => x.mul(y));
    const a = tensor([3]);
    f(a, a);
    const loaded = loadCompiled(f.export());
    expectValues(loaded.run(a, a), [9]);
    expect(() => loaded.run(a, tensor([3]))).toThrow(JitArgumentError);
  });

  it('exports a method with the receiver first', () => {
    class Affine {
      constructor(
        public w: Tensor,
        public b: Tensor,
      ) {}
      apply(x: Tensor): Tensor {
        return x.mul(this.w).add(this.b);
      }
    }
    const apply = jit(Affine.prototype.apply, {
      kind: 'method',
      name: 'apply',
      static: false,
      private: false,
      addInitializer: () => {},
      access: { has: () => true, get: () => undefined },
      metadata: {},
    } as unknown as ClassMethodDecoratorContext<Affine, (this: Affine, x: Tensor) => Tensor>);
    const m = new Affine(tensor([2]), tensor([1]));
    const lowered = apply.lower(m, tensor([5]));
    expectValues(lowered.run(m, tensor([5])), [11]);
    const loaded = loadCompiled(lowered.export());
    expectValues(loaded.run({ w: tensor([3]), b: tensor([0]) }, tensor([5])), [15]);
  });

  it('refuses to export a static object it could not check, and rejects malformed JSON', () => {
    const f = jit((x: Tensor, opts: { fn: () => number }) => x.mul(opts.fn()));
    f(tensor([1]), { fn: () => 2 });
    expect(() => f.export()).toThrow(JitExportError);
    expect(() => loadCompiled('{"format":"paradox-compiled"}')).toThrow(/formatVersion/);
    expect(() => loadCompiled('not json')).toThrow(JitExportError);
  });
});
