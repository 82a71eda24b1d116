import {
  type Backend,
  BufferMismatchError,
  type Capabilities,
  checkProgram,
  type DeviceBuffer,
} from '@paradox/backend';
import { type DType, type KernelProgram, printKernelLines, type TypedArray } from '@paradox/ir';
import { asWgslBuffer, WgslBuffer } from './buffer.js';
import { initialCapabilities, refineCapabilities } from './capabilities.js';
import {
  DEFAULT_RENDER_OPTIONS,
  fitToLimits,
  type RenderOptions,
  renderKernel,
  renderProgram,
} from './codegen/render.js';
import { WgslExecutable } from './executable.js';
import { deviceBytes, fromDevice, toDevice } from './host-format.js';
import { checkTimeout } from './runtime/deadline.js';
import { WgslCompileError } from './runtime/errors.js';
import type { GpuProvider } from './runtime/gpu-provider.js';
import { checkMaxIdle } from './runtime/pipeline-cache.js';
import { GpuRuntime } from './runtime/runtime.js';

export interface WgslBackendOptions {
  /** Registry name (default 'wgsl'). */
  name?: string;
  /** Where the GPU comes from: navigatorGpu in browsers, nodeGpu() in Node. */
  gpu: GpuProvider;
  /** Code generation knobs (workgroup sizes, vec4, reduction strategy). */
  render?: Partial<RenderOptions>;
  /**
   * Bound (ms) on each wait for the device: a pipeline compile, a submit, a readback. Past it the
   * call rejects with WebGpuTimeoutError naming the kernel(s). Default 60,000; Infinity waits forever.
   */
  timeoutMs?: number;
  /** Compiled pipelines kept after the last program using them is disposed (default 32). */
  maxIdlePipelines?: number;
}

/**
 * The WGSL backend. The device is acquired on first need (compile, download, or `ready()`);
 * allocate/upload work before that by keeping bytes host-side until the device exists.
 */
export class WgslBackend implements Backend {
  readonly name: string;
  readonly capabilities: Capabilities = initialCapabilities();
  private runtimePromise: Promise<GpuRuntime> | undefined;
  private runtimeNow: GpuRuntime | undefined;
  private renderOptions: RenderOptions;

  constructor(private readonly options: WgslBackendOptions) {
    this.name = options.name ?? 'wgsl';
    if (options.timeoutMs !== undefined) checkTimeout(options.timeoutMs);
    if (options.maxIdlePipelines !== undefined) checkMaxIdle(options.maxIdlePipelines);
    this.renderOptions = { ...DEFAULT_RENDER_OPTIONS, ...options.render };
  }

  /** Acquires the device (once) and refines capabilities from its limits and features. */
  async ready(): Promise<this> {
    await this.runtime();
    return this;
  }

  runtime(): Promise<GpuRuntime> {
    if (this.runtimeNow?.isLost) {
      this.runtimeNow = undefined;
      this.runtimePromise = undefined;
    }
    const { timeoutMs, maxIdlePipelines } = this.options;
    this.runtimePromise ??= GpuRuntime.create(this.options.gpu, { timeoutMs, maxIdlePipelines }).then(
      (rt) => {
        this.runtimeNow = rt;
        refineCapabilities(this.capabilities, {
          maxStorageBuffers: rt.limits.maxStorageBuffersPerShaderStage,
          f16: rt.hasF16,
        });
        this.renderOptions = fitToLimits(this.renderOptions, rt.maxWorkgroupSize);
        return rt;
      },
    );
    // A failed acquisition is not cached: the next call retries (and throws the typed error again).
    this.runtimePromise.catch(() => {
      this.runtimePromise = undefined;
    });
    return this.runtimePromise;
  }

  async compile(program: KernelProgram): Promise<WgslExecutable> {
    const rt = await this.runtime();
    checkProgram(this, program);
    const rendered = program.kernels.map((k, i) => renderKernel(k, i, this.renderOptions));
    const settled = await Promise.allSettled(
      rendered.map((r, i) =>
        rt.compile(
          r.source,
          r.bindings.map((b) => (b.write ? 'write' : 'read')),
          `kernel ${i}`,
        ),
      ),
    );
    const pipelines = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.findIndex((s) => s.status === 'rejected');
    try {
      if (failed >= 0) {
        const e = (settled[failed] as PromiseRejectedResult).reason;
        // Name the kernel (its IR text) next to the WGSL line that failed.
        if (e instanceof WgslCompileError)
          e.message += `\n--- kernel ---\n${printKernelLines(program.kernels[failed]!).join('\n')}`;
        throw e;
      }
      const kernels = rendered.map((r, i) => ({
        pipeline: pipelines[i]!,
        buffers: r.bindings.map((b) => b.id),
        workgroups: r.workgroups,
      }));
      return new WgslExecutable(
        program,
        rendered.map((r) => r.source),
        kernels,
        rt,
        this.name,
        (b) => this.materialize(rt, b),
      );
    } catch (e) {
      // No program holds them: the cache may evict them.
      for (const p of pipelines) rt.release(p);
      throw e;
    }
  }

  allocate(dtype: DType, size: number): WgslBuffer {
    if (!Number.isInteger(size) || size < 0)
      throw new BufferMismatchError(`${this.name}: invalid buffer size ${size}`);
    if (!this.capabilities.dtypes.includes(dtype))
      throw new BufferMismatchError(`${this.name}: unsupported dtype ${String(dtype)}`);
    const b = new WgslBuffer(this.name, dtype, size, deviceBytes(dtype, size));
    if (this.runtimeNow) b.gpu = this.runtimeNow.allocate(b.bytes, 'tensor');
    return b;
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    const b = asWgslBuffer(buffer, this.name);
    if (data.length !== b.size) {
      throw new BufferMismatchError(
        `${this.name}: upload of ${data.length} elements into a buffer of ${b.size}`,
      );
    }
    const expected = b.dtype === 'int32' ? Int32Array : b.dtype === 'bool' ? Uint8Array : Float32Array;
    if (!(data instanceof expected)) {
      throw new BufferMismatchError(
        `${this.name}: upload of a ${data.constructor.name} into a ${b.dtype} buffer`,
      );
    }
    const bytes = toDevice(b.dtype, data);
    if (b.gpu && this.runtimeNow) this.runtimeNow.upload(b.gpu, bytes);
    // Copy: the caller may reuse its array before the device exists.
    else b.pending = bytes === data ? data.slice() : bytes;
  }

  async download(buffer: DeviceBuffer): Promise<TypedArray> {
    const b = asWgslBuffer(buffer, this.name);
    if (b.size === 0) return fromDevice(b.dtype, new ArrayBuffer(0), 0);
    const rt = await this.runtime();
    const g = this.materialize(rt, b);
    return fromDevice(b.dtype, await rt.read(g, b.bytes), b.size);
  }

  free(buffer: DeviceBuffer): void {
    const b = asWgslBuffer(buffer, this.name);
    b.freed = true;
    b.pending = null;
    if (b.gpu && this.runtimeNow) this.runtimeNow.free(b.gpu);
    b.gpu = null;
  }

  render(program: KernelProgram): string {
    checkProgram(this, program);
    return renderProgram(program, this.renderOptions);
  }

  /** Destroys the device (tests, page teardown); a later call acquires a new one. */
  dispose(): void {
    this.runtimeNow?.destroy();
    this.runtimeNow = undefined;
    this.runtimePromise = undefined;
  }

  /** The GPUBuffer of `b`, creating it (and writing bytes uploaded before the device existed) on first use. */
  private materialize(rt: GpuRuntime, b: WgslBuffer): GPUBuffer {
    if (b.freed) throw new BufferMismatchError(`${this.name}: buffer used after free()`);
    if (!b.gpu) {
      b.gpu = rt.allocate(b.bytes, 'tensor');
      if (b.pending) rt.upload(b.gpu, b.pending);
      b.pending = null;
    }
    return b.gpu;
  }
}

export function createWgslBackend(options: WgslBackendOptions): WgslBackend {
  return new WgslBackend(options);
}
