import { describe, expect, it } from 'vitest';
import {
  acquireDevice,
  sizeClass,
  splitDispatch,
  WebGpuUnavailableError,
  WebGpuValidationError,
  WgslCompileError,
  withErrorScopes,
} from '../src/index.js';
import { firstMismatch, testRuntime } from './gpu.js';

const N = 4 * 1024 * 1024;

/** Copy kernel; `width` floats per element, one element per thread, 2-D split grid. */
function copyShader(width: 1 | 4, elements: number, workgroup: number): string {
  const t = width === 4 ? 'vec4<f32>' : 'f32';
  return `@group(0) @binding(0) var<storage, read> src: array<${t}>;
@group(0) @binding(1) var<storage, read_write> dst: array<${t}>;
@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * ${workgroup}u + lid;
  if (i < ${elements}u) { dst[i] = src[i]; }
}
`;
}

function ramp(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i * 0.5 - 7;
  return a;
}

describe('size classes and dispatch split (no GPU)', () => {
  it('rounds to 256 then quarter powers of two, multiples of 4', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(256)).toBe(256);
    expect(sizeClass(257)).toBe(320);
    expect(sizeClass(1000)).toBe(1024);
    expect(sizeClass(1025)).toBe(1280);
    for (let b = 1; b < 100_000; b += 997) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c % 4).toBe(0);
      expect(c).toBeLessThanOrEqual(Math.max(256, b * 1.25 + 4));
    }
  });

  it('splits over-limit counts into a 2-D grid that covers them', () => {
    expect(splitDispatch(10, 65535)).toEqual([10, 1, 1]);
    expect(splitDispatch(65535, 65535)).toEqual([65535, 1, 1]);
    const [x, y] = splitDispatch(65536, 65535);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y).toBeGreaterThanOrEqual(65536);
    expect(x * y - 65536).toBeLessThan(y);
    expect(() => splitDispatch(65536 * 65536, 65535)).toThrow(RangeError);
  });
});

describe('device acquisition', () => {
  it('throws a typed error naming the fix when there is no WebGPU', async () => {
    const err = await acquireDevice(() => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    // Names what a user of the published package can do, not a script of this repository.
    const message = (err as Error).message;
    expect(message).toContain('npm install webgpu');
    expect(message).toContain('VK_ICD_FILENAMES');
    expect(message).toContain('chromium-common');
    expect(message).not.toMatch(/scripts\//);
  });

  it('throws a typed error when the adapter request finds nothing', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    await expect(acquireDevice(() => gpu)).rejects.toBeInstanceOf(WebGpuUnavailableError);
  });
});

describe('WebGPU runtime on the test adapter', () => {
  it('reports adapter limits', async () => {
    const rt = await testRuntime();
    expect(rt.maxWorkgroupSize).toBeGreaterThanOrEqual(64);
    expect(rt.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
  });

  it('copies 4M floats as vec4, and a warm call creates no buffers or pipelines', async () => {
    const rt = await testRuntime();
    const input = ramp(N);
    const pipeline = await rt.compile(copyShader(4, N / 4, 256), ['read', 'write'], 'copy4');
    const runOnce = async () => {
      const src = rt.allocate(N * 4);
      const dst = rt.allocate(N * 4);
      rt.upload(src, input);
      await rt.run('copy4', [{ pipeline, buffers: [src, dst], workgroups: N / 4 / 256 }]);
      const out = new Float32Array(await rt.read(dst, N * 4));
      rt.free(src);
      rt.free(dst);
      return out;
    };
    expect(firstMismatch(await runOnce(), input)).toBe(-1);
    const created = rt.pool.created;
    const compiled = rt.pipelines.compiled;
    const again = await rt.compile(copyShader(4, N / 4, 256), ['read', 'write'], 'copy4');
    expect(again).toBe(pipeline);
    expect(firstMismatch(await runOnce(), input)).toBe(-1);
    expect(rt.pool.created).toBe(created);
    expect(rt.pipelines.compiled).toBe(compiled);
  });

  it('runs a dispatch over 65,535 workgroups by splitting it in 2-D', async () => {
    const rt = await testRuntime();
    const input = ramp(N);
    const groups = N / 64; // 65,536: one over the per-dimension limit
    expect(groups).toBeGreaterThan(rt.limits.maxComputeWorkgroupsPerDimension);
    const pipeline = await rt.compile(copyShader(1, N, 64), ['read', 'write'], 'copy1');
    const src = rt.allocate(N * 4);
    const dst = rt.allocate(N * 4);
    rt.upload(src, input);
    await rt.run('copy1', [{ pipeline, buffers: [src, dst], workgroups: groups }]);
    expect(firstMismatch(new Float32Array(await rt.read(dst, N * 4)), input)).toBe(-1);
    rt.free(src);
    rt.free(dst);
  });

  it('surfaces the silently dropped over-limit dispatch as a typed validation error', async () => {
    const rt = await testRuntime();
    const pipeline = await rt.compile(copyShader(1, 16, 64), ['read', 'write'], 'copy-small');
    const src = rt.allocate(64);
    const dst = rt.allocate(64);
    const device = rt.device;
    const err = await withErrorScopes(device, 'raw dispatch', () => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline.pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: pipeline.layout,
          entries: [
            { binding: 0, resource: { buffer: src } },
            { binding: 1, resource: { buffer: dst } },
          ],
        }),
      );
      pass.dispatchWorkgroups(rt.limits.maxComputeWorkgroupsPerDimension + 1);
      pass.end();
      device.queue.submit([enc.finish()]);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuValidationError);
    expect((err as WebGpuValidationError).kind).toBe('validation');
    rt.free(src);
    rt.free(dst);
  });

  it('reports a WGSL compile error with its line and the kernel label', async () => {
    const rt = await testRuntime();
    const bad = '@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n';
    const err = await rt.compile(bad, [], 'k7').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WgslCompileError);
    const e = err as WgslCompileError;
    expect(e.label).toBe('k7');
    expect(e.diagnostics[0]?.line).toBe(3);
    expect(e.diagnostics[0]?.lineText).toContain('undefined_thing');
    expect(e.message).toContain('k7');
    // The failure is not cached: a retry reports it again.
    await expect(rt.compile(bad, [], 'k7')).rejects.toBeInstanceOf(WgslCompileError);
  });

  it('reads back odd byte lengths and uploads unaligned tails', async () => {
    const rt = await testRuntime();
    const buf = rt.allocate(7);
    rt.upload(buf, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect([...new Uint8Array(await rt.read(buf, 7))]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    rt.free(buf);
  });
});
