import { BufferPool } from './buffer-pool.js';
import { checkTimeout, DEFAULT_TIMEOUT_MS, withDeadline } from './deadline.js';
import { type AcquiredDevice, acquireDevice } from './device.js';
import { splitDispatch } from './dispatch.js';
import { withErrorScopes } from './error-scope.js';
import type { GpuProvider } from './gpu-provider.js';
import { type BindingKind, type CompiledPipeline, PipelineCache } from './pipeline-cache.js';
import { align4, readBuffer } from './readback.js';
import { STORAGE_USAGE } from './usage.js';

/** One dispatch of a compiled pipeline over a bind group of buffers. */
export interface DispatchCommand {
  pipeline: CompiledPipeline;
  buffers: readonly GPUBuffer[];
  /** Linear workgroup count; split into 2-D when over the per-dimension limit. */
  workgroups: number;
  /** Names the kernel in a timeout error, e.g. 'kernel 3'. */
  label?: string;
}

export interface GpuRuntimeOptions {
  /**
   * Bound (ms) on each wait for the device: compiling a pipeline, submitting, reading back. Past
   * it the wait rejects with WebGpuTimeoutError naming the kernel(s). Default 60 s; Infinity waits forever.
   */
  timeoutMs?: number;
  /** Pipelines kept after the last program using them is disposed (default 32). */
  maxIdlePipelines?: number;
}

/** Bind groups kept per pipeline; past it they are dropped (a run rebuilds the few it needs). */
const BIND_GROUPS_PER_PIPELINE = 64;

/**
 * A WebGPU device with what every kernel run needs: a buffer pool, a pipeline cache, cached
 * bind groups, error scopes around submits, and async readback. Backend code talks to this,
 * never to the raw device.
 */
export class GpuRuntime {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly limits: GPUSupportedLimits;
  private timeout: number;
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private lost = false;
  /** The kernels of the last submit: what a readback or sync waits on. */
  private inFlight = 'no work';

  private constructor(
    readonly acquired: AcquiredDevice,
    options: GpuRuntimeOptions,
  ) {
    this.timeout = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.pool = new BufferPool(acquired.device);
    this.pipelines = new PipelineCache(acquired.device, {
      timeoutMs: this.timeout,
      maxIdle: options.maxIdlePipelines,
    });
    this.limits = acquired.device.limits;
    acquired.device.lost.then((info) => {
      this.lost = true;
      if (info.reason !== 'destroyed') console.warn(`paradox/wgsl: WebGPU device lost: ${info.message}`);
    });
  }

  static async create(provider: GpuProvider, options: GpuRuntimeOptions = {}): Promise<GpuRuntime> {
    checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return new GpuRuntime(await acquireDevice(provider), options);
  }

  /** Bound (ms) on each wait for the device; settable (Infinity waits forever). */
  get timeoutMs(): number {
    return this.timeout;
  }
  set timeoutMs(ms: number) {
    this.timeout = checkTimeout(ms);
    this.pipelines.timeoutMs = ms;
  }

  get device(): GPUDevice {
    return this.acquired.device;
  }
  get isLost(): boolean {
    return this.lost;
  }
  get hasF16(): boolean {
    return this.acquired.f16;
  }
  /** Largest 1-D workgroup we may declare. */
  get maxWorkgroupSize(): number {
    return Math.min(this.limits.maxComputeWorkgroupSizeX, this.limits.maxComputeInvocationsPerWorkgroup);
  }

  /** A storage buffer of at least `bytes` (rounded to its pool size class). */
  allocate(bytes: number, label?: string): GPUBuffer {
    return this.pool.acquire(Math.max(4, bytes), STORAGE_USAGE, label);
  }

  free(buffer: GPUBuffer): void {
    this.pool.release(buffer);
  }

  /** Queues a host-to-device copy; writeBuffer needs a 4-byte multiple, so short tails are padded. */
  upload(buffer: GPUBuffer, data: ArrayBufferView, offset = 0): void {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.byteLength === 0) return;
    if (bytes.byteLength % 4 === 0) {
      this.device.queue.writeBuffer(buffer, offset, bytes);
    } else {
      const padded = new Uint8Array(align4(bytes.byteLength));
      padded.set(bytes);
      this.device.queue.writeBuffer(buffer, offset, padded);
    }
  }

  read(buffer: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    return readBuffer(this.device, this.pool, buffer, bytes, offset, {
      timeoutMs: this.timeoutMs,
      waitingOn: this.inFlight,
    });
  }

  /**
   * Records every dispatch into one compute pass of one command encoder and submits once.
   * Storage writes of one dispatch are visible to the next (WebGPU usage scopes are per dispatch).
   * `clear` buffers are zeroed first (outputs a program may not write in full: pooled memory must
   * not show a freed tensor's data).
   */
  async run(
    label: string,
    commands: readonly DispatchCommand[],
    clear: readonly GPUBuffer[] = [],
  ): Promise<void> {
    const device = this.device;
    const kernels = commands.flatMap((c) => (c.label ? [c.label] : []));
    const named = kernels.length > 0 ? `${label} (${kernels.join(', ')})` : label;
    this.inFlight = named;
    const submitted = withErrorScopes(device, label, () => {
      const encoder = device.createCommandEncoder({ label });
      for (const b of clear) encoder.clearBuffer(b);
      const pass = encoder.beginComputePass({ label });
      const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
      for (const cmd of commands) {
        if (cmd.workgroups === 0) continue;
        pass.setPipeline(cmd.pipeline.pipeline);
        pass.setBindGroup(0, this.bindGroup(cmd.pipeline, cmd.buffers));
        const [x, y, z] = splitDispatch(cmd.workgroups, maxDim);
        pass.dispatchWorkgroups(x, y, z);
      }
      pass.end();
      device.queue.submit([encoder.finish()]);
    });
    await withDeadline(submitted, this.timeoutMs, 'run', named);
  }

  /**
   * The pipeline of `source`; the caller holds it until `release(pipeline)` (WgslExecutable does
   * both), so the cache keeps only pipelines of live programs plus a few idle ones.
   */
  compile(source: string, bindings: readonly BindingKind[], label: string): Promise<CompiledPipeline> {
    return this.pipelines.acquire(source, bindings, label);
  }

  release(pipeline: CompiledPipeline): void {
    this.pipelines.release(pipeline);
  }

  /** Waits for all submitted work (tests, timing). */
  async sync(): Promise<void> {
    await withDeadline(this.device.queue.onSubmittedWorkDone(), this.timeoutMs, 'sync', this.inFlight);
  }

  destroy(): void {
    this.pool.trim();
    this.device.destroy();
  }

  /**
   * Bind groups cached per pipeline by buffers: pooled buffers recur across warm calls, so a warm
   * run creates none. They go with their pipeline, and past a bound per pipeline are dropped
   * (buffers destroyed by the pool never recur, so their groups must not pile up).
   */
  private bindGroup(pipeline: CompiledPipeline, buffers: readonly GPUBuffer[]): GPUBindGroup {
    const key = buffers.map((b) => this.bufferId(b)).join(',');
    const groups = pipeline.bindGroups;
    let group = groups.get(key);
    if (!group) {
      if (groups.size >= BIND_GROUPS_PER_PIPELINE) groups.clear();
      group = this.device.createBindGroup({
        layout: pipeline.layout,
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      groups.set(key, group);
    }
    return group;
  }

  private bufferId(buffer: GPUBuffer): number {
    let id = this.bufferIds.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(buffer, id);
    }
    return id;
  }
}
