import { type EagerExecutor, getEagerExecutor, setEagerExecutor, type Tensor, tensor } from '@paradox/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JitError, jit, jitCompile } from '../src/index.js';
import { expectSame, expectValues } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

/** Counts eager op runs while `body` runs (a warm jit call must run none: one program, no per-op work). */
function countEagerOps(body: () => void): number {
  const inner = getEagerExecutor();
  let ops = 0;
  const counting: EagerExecutor = {
    name: 'counting',
    fromHost: inner.fromHost,
    run: (program, inputs) => {
      ops++;
      return inner.run(program, inputs);
    },
  };
  setEagerExecutor(counting);
  try {
    body();
  } finally {
    setEagerExecutor(inner);
  }
  return ops;
}

describe('jit: the prototype scenario', () => {
  it('fuses add then relu into one kernel and skips the trace on the second call', () => {
    let traces = 0;
    const f = jitCompile((x: Tensor, b: Tensor) => {
      traces++;
      return x.add(b).relu();
    });
    const x = tensor([1, -2, 3, -4]);
    const b = tensor([0.5, 0.5, 0.5, 0.5]);
    expectValues(f(x, b), [1.5, 0, 3.5, 0], [4]);
    expect(f.inspect().kernelCount).toBe(1);
    expect(f.inspect().fusionReport?.kernels).toHaveLength(1);
    expectValues(f(tensor([-1, 2, -3, 4]), b), [0, 2.5, 0, 4.5]);
    expect(traces).toBe(1);
    expect(f.cacheInfo()).toMatchObject({ hits: 1, misses: 1, traces: 1, size: 1 });
  });

  it('runs a warm call as one program: no eager op runs', () => {
    const f = jit((x: Tensor) => x.mul(2).add(1).relu().sub(3));
    const x = tensor([1, 2, 3]);
    f(x);
    let out: unknown;
    expect(
      countEagerOps(() => {
        out = f(x);
      }),
    ).toBe(0);
    expectValues(out, [0, 2, 4]);
  });
});

describe('jit: the signature', () => {
  const calls = () => {
    let traces = 0;
    const f = jit((x: Tensor, y: Tensor | number) => {
      traces++;
      return typeof y === 'number' ? x.mul(y) : x.add(y);
    });
    return { f, traces: () => traces };
  };

  it('misses on a new shape and explains it', () => {
    const { f, traces } = calls();
    f(tensor([[1, 2, 3, 4]]), tensor([[1, 1, 1, 1]]));
    expectValues(f(tensor([[1, 2, 3]]), tensor([[1, 1, 1]])), [2, 3, 4]);
    expect(traces()).toBe(2);
    expect(f.explainCacheMiss()).toBe('arg 0 shape [1,4] -> [1,3]; arg 1 shape [1,4] -> [1,3]');
  });

  it('misses on a new dtype', () => {
    const { f, traces } = calls();
    f(tensor([1, 2]), tensor([1, 1]));
    const y = f(tensor(new Int32Array([1, 2])), tensor(new Int32Array([5, 5]))) as Tensor;
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([6, 7]);
    expect(traces()).toBe(2);
    expect(f.explainCacheMiss()).toContain('arg 0 dtype float32 -> int32');
  });

  it('keys static (non-tensor) arguments by value', () => {
    const { f, traces } = calls();
    const x = tensor([1, 2]);
    expectValues(f(x, 3), [3, 6]);
    expectValues(f(x, 3), [3, 6]);
    expect(traces()).toBe(1);
    expectValues(f(x, 4), [4, 8]);
    expect(traces()).toBe(2);
    expect(f.explainCacheMiss()).toBe('arg 1 static value 3 -> 4');
    expectValues(f(x, 3), [3, 6]);
    expect(traces()).toBe(2);
  });

  it('misses when the pytree structure changes', () => {
    let traces = 0;
    const f = jit((p: { w: Tensor; b?: Tensor }) => {
      traces++;
      return p.b ? p.w.add(p.b) : p.w;
    });
    const w = tensor([1, 2]);
    expectValues(f({ w }), [1, 2]);
    expectValues(f({ w, b: tensor([10, 10]) }), [11, 12]);
    expect(traces).toBe(2);
    expect(f.explainCacheMiss()).toBe(
      'arg 0 was an object {w: tensor}, now an object {b: tensor, w: tensor}',
    );
  });

  it('misses when inputs alias, and merges the aliased inputs into one', () => {
    let traces = 0;
    const f = jit((x: Tensor, y: Tensor) => {
      traces++;
      return x.sub(y);
    });
    const a = tensor([1, 2]);
    expectValues(f(a, tensor([1, 1])), [0, 1]);
    expectValues(f(a, a), [0, 0]);
    expect(traces).toBe(2);
    expect(f.explainCacheMiss()).toBe('aliasing: arg 1 is now the same tensor as arg 0 (cached: distinct)');
    expect(f.inspect().traced).toMatch(/^graph @\w+\(%\w+: f32\[2\]\) \{/);
    expectValues(f(a, a), [0, 0]);
    expectValues(f(tensor([5, 5]), a), [4, 3]);
    expect(traces).toBe(2);
  });

  it('explains a hypothetical call against the cache without running it', () => {
    const { f } = calls();
    f(tensor([1, 2]), tensor([1, 1]));
    expect(f.explainCacheMiss(tensor([1, 2, 3]), tensor([1, 1, 1]))).toBe(
      'arg 0 shape [2] -> [3]; arg 1 shape [2] -> [3]',
    );
    expect(f.explainCacheMiss(tensor([1, 2]), tensor([1, 1]))).toBe('the signature is cached (no miss)');
  });
});

describe('jit: pytrees and statics', () => {
  it('takes and returns pytrees', () => {
    const f = jit((p: { w: Tensor; b: Tensor }, xs: Tensor[]) => ({
      sum: xs[0]!.mul(p.w).add(p.b),
      parts: [xs[1]!.neg(), 7] as const,
    }));
    const out = f({ w: tensor([2, 3]), b: tensor([1, 1]) }, [tensor([1, 2]), tensor([4, 5])]) as {
      sum: Tensor;
      parts: [Tensor, number];
    };
    expectValues(out.sum, [3, 7]);
    expectValues(out.parts[0], [-4, -5]);
    expect(out.parts[1]).toBe(7);
  });

  it('bakes a tensor declared static by identity', () => {
    let traces = 0;
    const f = jit(
      (x: Tensor, table: Tensor) => {
        traces++;
        return x.add(table);
      },
      { static: [1] },
    );
    const t1 = tensor([10, 20]);
    const t2 = tensor([100, 200]);
    const x = tensor([1, 2]);
    expectValues(f(x, t1), [11, 22]);
    expect(f.inspect().traced).toContain('const');
    expectValues(f(x, t1), [11, 22]);
    expect(traces).toBe(1);
    expectValues(f(x, t2), [101, 202]);
    expect(traces).toBe(2);
  });

  it('matches eager on a small MLP layer', () => {
    const layer = jit((x: Tensor, w: Tensor, b: Tensor) => x.matmul(w).add(b).relu());
    const x = tensor([
      [1, -1, 2],
      [0, 3, -2],
    ]);
    const w = tensor([
      [1, 2],
      [-1, 0.5],
      [0.25, -3],
    ]);
    const b = tensor([0.5, -1]);
    expectSame(layer(x, w, b), x.matmul(w).add(b).relu());
    expectValues(layer(x, w, b), [3, 0, 0, 6.5]);
  });

  it('inlines into an enclosing trace', () => {
    const inner = jit((x: Tensor) => x.mul(3));
    const outer = jit((x: Tensor) => inner(x).add(1));
    expectValues(outer(tensor([1, 2])), [4, 7]);
    expect(outer.inspect().kernelCount).toBe(1);
    expect(inner.cacheInfo().traces).toBe(0);
  });
});

describe('jit: the cache', () => {
  it('evicts the least recently used signature', () => {
    let traces = 0;
    const f = jit(
      (x: Tensor) => {
        traces++;
        return x.add(1);
      },
      { cacheSize: 2, retraceWarning: false },
    );
    const a = tensor([1]);
    const b = tensor([1, 2]);
    const c = tensor([1, 2, 3]);
    f(a);
    f(b);
    f(a); // a is now more recent than b
    f(c); // evicts b
    expect(f.cacheInfo().size).toBe(2);
    expect(traces).toBe(3);
    f(a);
    f(c);
    expect(traces).toBe(3);
    expectValues(f(b), [2, 3]);
    expect(traces).toBe(4);
  });

  it('warns once when every call retraces', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit((x: Tensor, n: number) => x.mul(n), { retraceWarning: 3 });
    const x = tensor([1, 2]);
    for (let n = 1; n <= 6; n++) expectValues(f(x, n), [n, 2 * n]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /retraced on each of the last 3 calls .*arg 1 static value 2 -> 3/,
    );
  });

  it('does not warn when calls hit', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit((x: Tensor) => x.exp(), { retraceWarning: 2 });
    for (let i = 0; i < 5; i++) f(tensor([0]));
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs misses with their explanation in debug mode', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const f = jit((x: Tensor) => x.abs(), { debug: true });
    f(tensor([1]));
    f(tensor([1, 2]));
    expect(debug.mock.calls.map((c) => String(c[0]))).toEqual([
      'jit(f): cache miss: nothing was cached yet (first call)',
      'jit(f): cache miss: arg 0 shape [1] -> [2]',
    ]);
  });

  it('rejects bad options and control calls before any compile', () => {
    expect(() => jit((x: Tensor) => x, { cacheSize: 0 })).toThrow(JitError);
    expect(() => jit((x: Tensor) => x, { static: ['w'] })).toThrow(/field names need @jit on a method/);
    expect(() => jit((x: Tensor) => x).inspect()).toThrow(/nothing compiled yet/);
  });
});
