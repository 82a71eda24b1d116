import { type Backend, registerBackend, unregisterBackend } from '@paradox/backend';
import { createJsBackend } from '@paradox/backend-js';
import { Tensor, tensor } from '@paradox/tracer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JitFallbackError, jit } from '../src/index.js';
import { expectSame, expectValues } from './helpers.js';

/** backend-js under another name, declaring fewer ops (or fewer buffers per kernel). */
function limitedBackend(name: string, drop: string[], maxBuffersPerKernel?: number): Backend {
  const inner = createJsBackend({ name });
  const ops = new Set([...inner.capabilities.ops].filter((op) => !drop.includes(op)));
  return {
    ...inner,
    capabilities: {
      ...inner.capabilities,
      ops,
      maxBuffersPerKernel: maxBuffersPerKernel ?? inner.capabilities.maxBuffersPerKernel,
    },
  };
}

/** backend-js behind an asynchronous interface, like WebGPU: compile, run and download return promises. */
function asyncBackend(name: string): Backend {
  const inner = createJsBackend({ name });
  return {
    ...inner,
    capabilities: { ...inner.capabilities, sync: false },
    compile: async (program) => {
      const exe = inner.compile(program);
      return {
        program,
        sources: exe.sources,
        run: async (inputs) => exe.run(inputs),
        dispose: () => exe.dispose(),
      };
    },
    download: async (buffer) => inner.download(buffer),
  };
}

/** asyncBackend whose compile takes `ms` (a pipeline or compiler still busy when the call returns). */
function slowCompileBackend(name: string, ms: number): Backend {
  const inner = asyncBackend(name);
  return {
    ...inner,
    compile: async (program) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return inner.compile(program);
    },
  };
}

beforeAll(() => {
  registerBackend(limitedBackend('no-sin', ['sin']));
  registerBackend(limitedBackend('four-buffers', [], 4));
  registerBackend(asyncBackend('async-js'));
});
afterAll(() => {
  for (const name of ['no-sin', 'four-buffers', 'async-js']) unregisterBackend(name);
});
afterEach(() => vi.restoreAllMocks());

describe('eager fallback', () => {
  it('runs an unsupported op eagerly with exactly one warning naming the op and the backend', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit((x: Tensor) => x.sin().mul(2), { backend: 'no-sin' });
    const x = tensor([0, Math.PI / 2, 1]);
    expectValues(f(x), [0, 2, 2 * Math.sin(1)]);
    expectValues(f(x), [0, 2, 2 * Math.sin(1)]);
    expectSame(f(tensor([3, 4])), tensor([3, 4]).sin().mul(2));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/'sin' cannot run compiled on backend 'no-sin'/);
    expect(f.cacheInfo()).toMatchObject({ fallbacks: 2, traces: 2 });
    expect(() => f.inspect()).toThrow(/runs eagerly/);
  });

  it('compiles what the backend supports on the same backend', () => {
    const f = jit((x: Tensor) => x.cos().mul(2), { backend: 'no-sin' });
    expectValues(f(tensor([0])), [2]);
    expect(f.inspect().backend).toBe('no-sin');
  });

  it('falls back when the function reads data while tracing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = jit((x: Tensor) => (x.sum().dataSync()[0]! > 0 ? x.neg() : x));
    expectValues(f(tensor([1, 2])), [-1, -2]);
    expectValues(f(tensor([-1, -2])), [-1, -2]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/'dataSync\(\)' cannot run compiled on backend 'js'/);
  });

  it("throws JitFallbackError with fallback: 'error'", () => {
    const f = jit((x: Tensor) => x.sin(), { backend: 'no-sin', fallback: 'error' });
    expect(() => f(tensor([1]))).toThrow(JitFallbackError);
    expect(() => f(tensor([1]))).toThrow(/'sin' cannot run compiled on backend 'no-sin'/);
  });
});

describe('backends', () => {
  it("passes the backend's capabilities to fusion (maxBuffersPerKernel)", () => {
    const body = (a: Tensor, b: Tensor, c: Tensor, d: Tensor, e: Tensor) => a.add(b).add(c).add(d).add(e);
    const args = [1, 2, 3, 4, 5].map((v) => tensor([v, 10 * v])) as [Tensor, Tensor, Tensor, Tensor, Tensor];
    const wide = jit(body);
    const narrow = jit(body, { backend: 'four-buffers' });
    expectValues(wide(...args), [15, 150]);
    expectValues(narrow(...args), [15, 150]);
    expect(wide.inspect().kernelCount).toBe(1);
    expect(narrow.inspect().kernelCount).toBeGreaterThan(1);
  });

  it('returns pending tensors on an async backend; data() resolves them', async () => {
    const f = jit((x: Tensor, y: Tensor) => ({ s: x.add(y), d: x.sub(y) }), { backend: 'async-js' });
    const out = f(tensor([5, 7]), tensor([1, 2])) as { s: Tensor; d: Tensor };
    expect(Array.from(await out.s.data())).toEqual([6, 9]);
    expect(Array.from(await out.d.data())).toEqual([4, 5]);
    expect(() => out.s.dataSync()).toThrow(/await t.data\(\)/);
    // a later call chains on the first call's pending outputs without reading them on the host
    const again = f(out.s, out.d) as { s: Tensor };
    expect(Array.from(await again.s.data())).toEqual([10, 14]);
  });
});

describe('an input disposed while its jit call waits for the compile', () => {
  it('is still read by the run: the memory is freed after it', async () => {
    const slow = slowCompileBackend('slow-compile', 30);
    const buffer = slow.allocate('float32', 3);
    slow.upload(buffer, Float32Array.of(1, 2, 3));
    const x = new Tensor({ dtype: 'float32', shape: [3] }, { kind: 'device', backend: slow, buffer });
    registerBackend(slow);
    const f = jit((t: Tensor) => t.mul(2).add(1), { backend: 'slow-compile' });
    const y = f(x);
    x.dispose();
    expect(x.isDisposed).toBe(true);
    try {
      expect(Array.from(await y.data())).toEqual([3, 5, 7]);
    } finally {
      unregisterBackend('slow-compile');
    }
  });
});
