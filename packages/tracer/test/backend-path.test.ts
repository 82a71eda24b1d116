import { type Backend, type Executable, registerBackend } from '@paradox/backend';
import { jsBackend } from '@paradox/backend-js';
import type { KernelProgram } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import {
  EagerExecutionError,
  getEagerExecutor,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  tensor,
  trace,
} from '../src/index.js';
import './inject-lowering.js';

/**
 * The default eager path on a backend: compiled executables are cached per op signature, and on an
 * asynchronous backend results stay pending until data() is awaited.
 */
function asyncWrapper(inner: Backend, compiled: KernelProgram[]): Backend {
  return {
    name: 'async-js',
    capabilities: { ...inner.capabilities, sync: false },
    async compile(program) {
      compiled.push(program);
      const exe = (await inner.compile(program)) as Executable;
      return {
        ...exe,
        program,
        sources: exe.sources,
        run: async (inputs) => exe.run(inputs),
        dispose: () => exe.dispose(),
      };
    },
    allocate: (dtype, size) => inner.allocate(dtype, size),
    upload: (buffer, data) => inner.upload(buffer, data),
    download: async (buffer) => inner.download(buffer),
    free: (buffer) => inner.free(buffer),
  };
}

describe('eager execution on the default backend', () => {
  it('runs on backend-js and caches one executable per op signature', async () => {
    expect(getEagerExecutor().name).toBe('backend');
    const compiled: KernelProgram[] = [];
    const counting: Backend = {
      ...jsBackend,
      name: 'counting-js',
      compile: (p) => {
        compiled.push(p);
        return jsBackend.compile(p);
      },
    };
    registerBackend(counting, { priority: 1000 });
    const a = tensor([1, 2, 3]);
    const results: Tensor[] = [];
    for (let i = 0; i < 3; i++) results.push(a.mul(a));
    expect(compiled).toHaveLength(1);
    expect(results.map((r) => [...r.dataSync()])).toEqual([
      [1, 4, 9],
      [1, 4, 9],
      [1, 4, 9],
    ]);
    a.add(a);
    tensor([1, 2]).mul(tensor([3, 4]));
    expect(compiled).toHaveLength(3);
    expect(a.storage('test')).toMatchObject({ kind: 'device', backend: counting });
  });

  it('on an async backend: dataSync() explains itself, data() resolves the pending chain', async () => {
    const compiled: KernelProgram[] = [];
    registerBackend(asyncWrapper(jsBackend, compiled), { priority: 2000 });
    const x = tensor([1, -2, 3]);
    const y = x.mul(2).relu().sum();
    expect(() => y.dataSync()).toThrow(EagerExecutionError);
    expect(() => y.dataSync()).toThrow(/'async-js', which is asynchronous; use `await t\.data\(\)`/);
    expect(y.toString()).toMatch(/on async backend 'async-js'/);
    expect([...(await y.data())]).toEqual([8]);

    // Tracing needs no data from inputs; tensors created inside the trace are captured from the host.
    const g = trace((t: Tensor) => t.add(tensor([10, 20, 30])), y.reshape([1]).broadcastTo([3]));
    expect([...g.buffers[0]!]).toEqual([10, 20, 30]);
    // A closed-over tensor on an async backend cannot be read synchronously: the error says what to do.
    expect(() => trace((t: Tensor) => t.add(x), x)).toThrow(
      /capturing a closed-over tensor.*await t\.data\(\)/,
    );
    x.dispose();
    expect(() => x.add(1)).toThrow(/disposed/);
  });

  it('frees the buffer it uploads for an operand that lives on the host', () => {
    const freed: unknown[] = [];
    registerBackend({ ...jsBackend, name: 'freeing-js', free: (b) => freed.push(b) }, { priority: 3000 });
    const previous = setEagerExecutor(interpreterExecutor);
    const host = tensor([1, 2, 3]);
    setEagerExecutor(previous);
    expect(host.storage('test').kind).toBe('host');
    const y = host.mul(2);
    expect([...y.dataSync()]).toEqual([2, 4, 6]);
    // One upload (host has no device buffer), freed after the run; the result and `host` stay alive.
    expect(freed).toHaveLength(1);
    const result = y.storage('test');
    expect(result.kind === 'device' && freed.includes(result.buffer)).toBe(false);
    expect(host.storage('test').kind).toBe('host');
  });
});
