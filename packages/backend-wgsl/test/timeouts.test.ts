/**
 * Issue #18 item 1: a 4-lane serial reduction over a double concat never finished compiling on
 * SwiftShader (its guards' `&&` chains became dozens of branches per loop body), and the runtime
 * waited forever. Now guards are branch-free and every wait for the device is bounded.
 */
import { numel } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_OPTIONS } from '../src/codegen/render.js';
import { createWgslBackend, GpuRuntime, nodeGpu, renderKernel, WebGpuTimeoutError } from '../src/index.js';
import { checkGraph, data, fusedGraph } from './programs.js';

const backend = createWgslBackend({ name: 'wgsl-bounded', gpu: nodeGpu(), timeoutMs: 30_000 });
afterAll(() => backend.dispose());

/** `y = concat(x, -x); y = concat(y, -y); sum(y, 0, keepdims)`, as the jit function. */
function doubleConcatSum(n: number) {
  return fusedGraph((b, x) => {
    const v = x('float32', [n]);
    const minusOne = b.constant([-1], [1], 'float32');
    const neg = (t: string) => b.op('mul', [t, b.op('broadcast', [minusOne], { shape: b.typeOf(t).shape })]);
    const y = b.op('concat', [v, neg(v)], { axis: 0 });
    const z = b.op('concat', [y, neg(y)], { axis: 0 });
    return [b.op('sum', [z], { axes: [0], keepdims: true })];
  });
}

describe('the double-concat reduction of issue #18', () => {
  it.each([1, 2, 3, 5])('n = %i compiles on the vec4 serial path and matches the interpreter', async (n) => {
    const { graph, shapes } = doubleConcatSum(n);
    const templates = lowerGraph(graph).kernels.map(
      (k, i) => renderKernel(k, i, DEFAULT_RENDER_OPTIONS).template,
    );
    expect(templates).toContain('reduce-serial-vec4');
    await checkGraph(
      backend,
      graph,
      shapes.map((s, i) => data(s.dtype, numel(s.shape), i + 3)),
    );
  });
});

/** One thread spinning `n[0]` times: SwiftShader runs ~3M iterations a second. */
const SPIN = `@group(0) @binding(0) var<storage, read> n: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var x = 0u;
  for (var i = 0u; i < n[0]; i++) { x = x * 1664525u + 1013904223u; }
  out[0] = x;
}`;

/** A straight-line chain SwiftShader takes about a second to compile. */
function slowToCompile(): string {
  const lines = [
    '@group(0) @binding(0) var<storage, read> a: array<f32>;',
    '@group(0) @binding(1) var<storage, read_write> out: array<f32>;',
    '@compute @workgroup_size(64)',
    'fn main(@builtin(global_invocation_id) g: vec3<u32>) {',
    '  var x = a[g.x];',
  ];
  for (let i = 0; i < 100; i++) lines.push(`  x = sin(x * ${i + 1}.5f) + a[(g.x + ${i}u) % 7u];`);
  lines.push('  out[g.x] = x;', '}');
  return lines.join('\n');
}

describe('bounded waits', () => {
  it('a readback waiting on a kernel that runs past timeoutMs rejects, naming the kernel', async () => {
    const rt = await GpuRuntime.create(nodeGpu());
    try {
      const spin = await rt.compile(SPIN, ['read', 'write'], 'spin');
      const n = rt.allocate(4);
      const out = rt.allocate(4);
      const time = async (count: number) => {
        rt.upload(n, Uint32Array.of(count));
        const start = performance.now();
        await rt.run('calibration', [{ pipeline: spin, buffers: [n, out], workgroups: 1 }]);
        await rt.read(out, 4);
        return performance.now() - start;
      };
      // Iterations for at most ~1 s on this adapter (the timing includes the submit and readback,
      // so it overestimates an iteration), many times the bound set next.
      await time(1);
      const perIteration = (await time(50_000)) / 50_000;
      rt.upload(n, Uint32Array.of(Math.min(2 ** 32 - 1, Math.ceil(1000 / perIteration))));
      rt.timeoutMs = 50;
      await rt.run('program', [{ pipeline: spin, buffers: [n, out], workgroups: 1, label: 'kernel 7' }]);
      const err = await rt.read(out, 4).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebGpuTimeoutError);
      const timeout = err as WebGpuTimeoutError;
      expect(timeout.code).toBe('WEBGPU_TIMEOUT');
      expect(timeout.stage).toBe('readback');
      expect(timeout.label).toBe('program (kernel 7)');
      expect(timeout.message).toContain('kernel 7');
      expect(timeout.timeoutMs).toBe(50);
      await timeout.settled;
      // The runtime still works once the work is done: the same kernel, short, reads back its value.
      rt.timeoutMs = 60_000;
      rt.upload(n, Uint32Array.of(3));
      await rt.run('program', [{ pipeline: spin, buffers: [n, out], workgroups: 1 }]);
      let x = 0;
      for (let i = 0; i < 3; i++) x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      expect(new Uint32Array(await rt.read(out, 4))[0]).toBe(x);
    } finally {
      rt.destroy();
    }
  });

  // The compile takes ~0.3 s of CPU, 15 times the bound, and withDeadline judges by the clock, so
  // the answer cannot be accepted even when a busy loop runs it before the overdue timer.
  it('a pipeline that compiles past timeoutMs rejects, naming the kernel, and is not cached', async () => {
    const rt = await GpuRuntime.create(nodeGpu(), { timeoutMs: 20 });
    try {
      const err = await rt.compile(slowToCompile(), ['read', 'write'], 'kernel 4').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebGpuTimeoutError);
      const timeout = err as WebGpuTimeoutError;
      expect(timeout.stage).toBe('compile');
      expect(timeout.label).toBe('kernel 4');
      expect(timeout.message).toContain('compiling the pipeline of kernel 4');
      expect(rt.pipelines.size).toBe(0);
      await timeout.settled;
    } finally {
      rt.destroy();
    }
  });

  it('rejects a timeout that is not a positive number of milliseconds', async () => {
    for (const timeoutMs of [0, -1, Number.NaN]) {
      await expect(GpuRuntime.create(nodeGpu(), { timeoutMs })).rejects.toThrow(RangeError);
    }
  });
});
