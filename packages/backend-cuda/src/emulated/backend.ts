import { spawnSync } from 'node:child_process';
import {
  allocateHostBuffer,
  asHostBuffer,
  type Backend,
  checkProgram,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  HostBuffer,
  uploadHostBuffer,
} from '@paradox/backend';
import { type DType, type KernelProgram, type TypedArray, typedArrayFor } from '@paradox/ir';
import { CUDA_CAPABILITIES } from '../capabilities.js';
import { CudaEmulationError } from '../errors.js';
import type { RenderOptions } from '../render/kernel.js';
import { type RenderedProgram, renderCudaProgram, renderProgram } from '../render/program.js';
import { type EmulatedEntry, EmulationCompiler, type EmulationCompilerOptions, sha256 } from './compiler.js';
import { renderEmulatedProgram } from './harness.js';
import { bufferBytes, emulatedLayout } from './layout.js';

export interface EmulatedBackendOptions extends EmulationCompilerOptions {
  /** Registry name (default 'cuda-emu'). */
  name?: string;
  render?: RenderOptions;
}

/**
 * The CUDA backend's generated source, run on the CPU: each program is rendered exactly as for
 * the GPU, compiled with g++ against cuda_emu.h, and executed in a child process. Buffers live in
 * host memory. Compiles requested in the same tick are batched into one compiler run.
 */
export class EmulatedCudaBackend implements Backend {
  readonly name: string;
  readonly capabilities = CUDA_CAPABILITIES;
  readonly compiler: EmulationCompiler;
  private readonly renderOptions: RenderOptions;
  private readonly entries = new Map<string, Promise<EmulatedEntry>>();
  private pending: {
    render: (ns: string) => string;
    resolve(e: EmulatedEntry): void;
    reject(e: unknown): void;
  }[] = [];

  constructor(options: EmulatedBackendOptions = {}) {
    this.name = options.name ?? 'cuda-emu';
    this.compiler = new EmulationCompiler(options);
    this.renderOptions = options.render ?? {};
  }

  async compile(program: KernelProgram): Promise<Executable> {
    checkProgram(this, program);
    const rendered = renderCudaProgram(program, { ...this.renderOptions, externC: false, verified: true });
    const render = (ns: string): string => renderEmulatedProgram(program, rendered, ns);
    const key = sha256(render('p'));
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.enqueue(render);
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return new EmulatedExecutable(this.name, program, rendered, await entry);
  }

  render(program: KernelProgram): string {
    return renderProgram(program, this.renderOptions);
  }

  allocate(dtype: DType, size: number): DeviceBuffer {
    return allocateHostBuffer(this.name, dtype, size);
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    uploadHostBuffer(asHostBuffer(buffer, this.name), data);
  }

  download(buffer: DeviceBuffer): TypedArray {
    return asHostBuffer(buffer, this.name).data.slice();
  }

  free(buffer: DeviceBuffer): void {
    asHostBuffer(buffer, this.name).freed = true;
  }

  /** Queues a program for the next batch; the batch compiles once the current tick's compiles are in. */
  private enqueue(render: (ns: string) => string): Promise<EmulatedEntry> {
    return new Promise((resolve, reject) => {
      this.pending.push({ render, resolve, reject });
      if (this.pending.length === 1) setTimeout(() => this.flush(), 0);
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    let start = 0;
    for (const size of this.compiler.unitSizes(batch.length)) {
      void this.build(batch.slice(start, start + size));
      start += size;
    }
  }

  /** Compiles a batch into one binary; when that fails, halves it until the failing programs stand alone. */
  private async build(batch: typeof this.pending): Promise<void> {
    try {
      const entries = await this.compiler.compile(batch.map((p) => p.render));
      batch.forEach((p, i) => {
        p.resolve(entries[i]!);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.build(batch.slice(0, half)), this.build(batch.slice(half))]);
    }
  }
}

class EmulatedExecutable implements Executable {
  readonly sources: string[];

  constructor(
    private readonly backend: string,
    readonly program: KernelProgram,
    rendered: RenderedProgram,
    private readonly entry: EmulatedEntry,
  ) {
    this.sources = rendered.kernels.map((k) => k.source);
  }

  run(inputs: DeviceBuffer[]): DeviceBuffer[] {
    checkRunInputs(this.program, inputs, this.backend);
    const layout = emulatedLayout(this.program);
    const parts: Uint8Array[] = layout.stdin.map((decl, i) => {
      const data =
        decl.kind === 'const'
          ? constantData(this.program, decl.constant, decl.dtype)
          : asHostBuffer(inputs[i]!, this.backend).data;
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    });
    const expected = layout.stdout.reduce((n, d) => n + bufferBytes(d), 0);
    const result = spawnSync(this.entry.binary, [String(this.entry.index)], {
      input: Buffer.concat(parts),
      maxBuffer: expected + (1 << 20),
    });
    if (result.error)
      throw new CudaEmulationError(`could not run the emulated program: ${result.error.message}`);
    if (result.status !== 0) {
      const why = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
      throw new CudaEmulationError(`the emulated program ${why}: ${result.stderr.toString().trim()}`);
    }
    const out = result.stdout;
    if (out.length !== expected)
      throw new CudaEmulationError(`the emulated program wrote ${out.length} bytes, expected ${expected}`);
    let offset = 0;
    return layout.stdout.map((decl) => {
      const data = typedArrayFor(decl.dtype, decl.size);
      const bytes = bufferBytes(decl);
      new Uint8Array(data.buffer).set(out.subarray(offset, offset + bytes));
      offset += bytes;
      return new HostBuffer(this.backend, decl.dtype, data);
    });
  }

  dispose(): void {}
}

/** A constant's data in the buffer's element type. */
function constantData(program: KernelProgram, index: number | undefined, dtype: DType): TypedArray {
  const data = index === undefined ? undefined : program.constants[index];
  if (!data) throw new CudaEmulationError(`constant buffer refers to missing constant ${String(index)}`);
  const typed = typedArrayFor(dtype, data.length);
  if (typed.constructor === data.constructor) return data;
  typed.set(data);
  return typed;
}

/** A CPU-emulated CUDA backend (not registered; pass it where a Backend is expected). */
export function createEmulatedCudaBackend(options: EmulatedBackendOptions = {}): EmulatedCudaBackend {
  return new EmulatedCudaBackend(options);
}
