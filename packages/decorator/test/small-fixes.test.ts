import { getBackend } from '@paradox/backend';
import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { JitArgumentError, JitError, jit, StaticGraph } from '../src/index.js';
import { expectValues } from './helpers.js';

describe('issue 18 item 7: smaller defects', () => {
  it('a pending tensor on a synchronous backend is not called asynchronous', async () => {
    const js = getBackend('js');
    const buffer = js.allocate('float32', 2);
    js.upload(buffer, new Float32Array([1, 2]));
    // Data still on its way (as from an input that lived on an asynchronous backend).
    const { Tensor } = await import('@paradox/tracer');
    const pending = new Tensor(
      { dtype: 'float32', shape: [2] },
      { kind: 'device', backend: js, buffer: Promise.resolve(buffer) },
    );
    const out = jit((x: Tensor) => x.mul(3))(pending);
    expect(() => out.dataSync()).toThrow(/not computed yet/);
    expect(() => out.dataSync()).not.toThrow(/'js', which is asynchronous/);
    expect(Array.from(await out.data())).toEqual([3, 6]);
  });

  it('explainCacheMiss() after a hit does not describe the older miss', () => {
    const f = jit((x: Tensor) => x.add(1));
    f(tensor([1]));
    f(tensor([1, 2]));
    expect(f.explainCacheMiss()).toBe('arg 0 shape [1] -> [2]');
    f(tensor([3, 4])); // fast-path hit
    expect(f.explainCacheMiss()).toBe('the last call hit the cache (no miss)');
    f(tensor([5])); // keyed hit (an older entry)
    expect(f.explainCacheMiss()).toBe('the last call hit the cache (no miss)');
  });

  it('the wrong-argument error uses words, not internal notation', () => {
    const compiled = jit((x: Tensor) => x.mul(2)).lower(tensor([1, 2]));
    const run = () => compiled.run([1, 2] as never);
    expect(run).toThrow(JitArgumentError);
    expect(run).toThrow(
      'arg 0 was a tensor, now an array [1, 2] (arrays and plain objects are pytrees, not tensors: pass tensor([...]) for a tensor)',
    );
    expect(run).not.toThrow(/=n:|\*/);
  });

  it('unknown options are a typed error naming the nearest valid one', () => {
    const fn = (x: Tensor) => x.add(1);
    expect(() => jit(fn, { backnd: 'wgsl' } as never)).toThrow(JitError);
    expect(() => jit(fn, { backnd: 'wgsl' } as never)).toThrow(
      /unknown option 'backnd' \(did you mean 'backend'\?\)/,
    );
    expect(() => jit(fn, { chacheSize: 3 } as never)).toThrow(/did you mean 'cacheSize'/);
    expect(() => jit(fn, { zzz: 1 } as never)).toThrow(
      /unknown option 'zzz'; valid options: pipeline, backend/,
    );
    expect(() => jit(fn, { fallback: 'eagr' } as never)).toThrow(/fallback must be 'eager' or 'error'/);
    expect(() => jit({ statik: [0] } as never)).toThrow(/did you mean 'static'/);
    const g = StaticGraph.capture(fn, tensor([1]));
    expect(() => g.optimize({ pipline: 'dce' } as never)).toThrow(
      /unknown option 'pipline' \(did you mean 'pipeline'\?\)/,
    );
  });

  it('a plain array argument gives a typed error that says what to do', () => {
    const f = jit((x: Tensor) => x.mul(2));
    const call = () => f([1, 2, 3] as never);
    expect(call).toThrow(JitArgumentError);
    expect(call).toThrow(
      /arg 0 is a plain array with no tensors.*x\.mul is not a function.*pass tensor\(\[\.\.\.\]\)/,
    );
  });

  it('run() is typed by the captured function, and dataSync().reduce type-checks', () => {
    const g = StaticGraph.capture((x: Tensor, b: Tensor) => x.add(b), tensor([1, 2]), tensor([3, 4]));
    const y: Tensor = g.run(tensor([1, 1]), tensor([2, 2]));
    expectValues(y, [3, 3]);
    const compiled = g.optimize();
    const z: Tensor = compiled.run(tensor([0, 1]), tensor([1, 1]));
    // @ts-expect-error run() takes the captured function's parameters
    expect(() => compiled.run('not a tensor')).toThrow(JitArgumentError);
    const f = jit((x: Tensor) => x.mul(2));
    const lowered: Tensor = f.lower(tensor([1])).run(tensor([4]));
    expectValues(lowered, [8]);
    const sum: number = z.dataSync().reduce((a, v) => a + v, 0);
    const text: string = z.dataSync().reduce((a, v) => `${a}${v}`, '');
    expect([sum, text]).toEqual([3, '12']);
  });
});
