import {
  type Backend,
  BufferMismatchError,
  checkProgram,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
} from '@paradox/backend';
import {
  BYTES_PER_ELEMENT,
  type DType,
  type KernelProgram,
  outputsNotProvablyCovered,
  type TypedArray,
  typedArrayFor,
} from '@paradox/ir';
import { CUDA_CAPABILITIES } from './capabilities.js';
import { CudaDevice } from './driver/device.js';
import type { DevicePointer } from './driver/libcuda.js';
import { ModuleCache } from './driver/module_cache.js';
import { Nvrtc } from './driver/nvrtc.js';
import type { RenderOptions } from './render/kernel.js';
import { type RenderedProgram, renderCudaProgram, renderProgram } from './render/program.js';

export interface CudaBackendOptions {
  /** Registry name (default 'cuda'). */
  name?: string;
  /** Paths of libcuda and libnvrtc (default: the system's, or $PARADOX_LIBCUDA / $PARADOX_NVRTC). */
  libcuda?: string;
  nvrtc?: string;
  /** Device ordinal (default 0). */
  ordinal?: number;
  render?: RenderOptions;
}

/** A device allocation. `size` is in elements. */
export class CudaBuffer implements DeviceBuffer {
  freed = false;
  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    readonly pointer: DevicePointer,
  ) {}
}

/**
 * The CUDA backend: kernels rendered to CUDA C, compiled by NVRTC for the device's own
 * architecture, launched through the driver API. The driver and NVRTC load on first use, so
 * importing (and registering) the backend never fails; on a machine without them compile(),
 * allocate() and friends throw CudaUnavailableError.
 */
export class CudaBackend implements Backend {
  readonly name: string;
  readonly capabilities = CUDA_CAPABILITIES;
  private readonly options: CudaBackendOptions;
  private state: { device: CudaDevice; modules: ModuleCache } | undefined;
  private compiler: Nvrtc | undefined;

  constructor(options: CudaBackendOptions = {}) {
    this.name = options.name ?? 'cuda';
    this.options = options;
  }

  /** The device, opened on first use (throws CudaUnavailableError without a driver or GPU). */
  get device(): CudaDevice {
    return this.open().device;
  }

  /** Compiled kernels loaded so far. */
  get loadedKernels(): number {
    return this.state?.modules.size ?? 0;
  }

  compile(program: KernelProgram): Executable {
    checkProgram(this, program);
    const rendered = renderCudaProgram(program, { ...this.options.render, verified: true });
    const { device, modules } = this.open();
    const functions = rendered.kernels.map((k) => (k.empty ? undefined : modules.function(k.source, k.name)));
    return new CudaExecutable(this, device, program, rendered, functions);
  }

  render(program: KernelProgram): string {
    return renderProgram(program, this.options.render);
  }

  allocate(dtype: DType, size: number): CudaBuffer {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new BufferMismatchError(`${this.name}: invalid buffer size ${size}`);
    const bytes = size * BYTES_PER_ELEMENT[dtype];
    return new CudaBuffer(this.name, dtype, size, this.device.alloc(bytes));
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    const b = this.own(buffer);
    if (data.length !== b.size)
      throw new BufferMismatchError(
        `${this.name}: upload of ${data.length} elements into a buffer of ${b.size}`,
      );
    if (data.constructor !== typedArrayFor(b.dtype, 0).constructor) {
      throw new BufferMismatchError(
        `${this.name}: upload of a ${data.constructor.name} into a ${b.dtype} buffer`,
      );
    }
    this.device.upload(b.pointer, data);
  }

  download(buffer: DeviceBuffer): TypedArray {
    const b = this.own(buffer);
    const data = typedArrayFor(b.dtype, b.size);
    this.device.download(b.pointer, data);
    return data;
  }

  free(buffer: DeviceBuffer): void {
    const b = this.own(buffer);
    b.freed = true;
    this.device.free(b.pointer);
  }

  /** Checks that `buffer` is a live allocation of this backend. */
  own(buffer: DeviceBuffer): CudaBuffer {
    if (!(buffer instanceof CudaBuffer) || buffer.backend !== this.name) {
      throw new BufferMismatchError(`buffer belongs to backend '${buffer?.backend}', not '${this.name}'`);
    }
    if (buffer.freed) throw new BufferMismatchError(`${this.name}: buffer used after free()`);
    return buffer;
  }

  private open(): { device: CudaDevice; modules: ModuleCache } {
    if (!this.state) {
      const device = CudaDevice.open({ libcuda: this.options.libcuda, ordinal: this.options.ordinal });
      this.state = { device, modules: new ModuleCache(device, () => this.nvrtc()) };
    }
    return this.state;
  }

  private nvrtc(): Nvrtc {
    this.compiler ??= new Nvrtc(this.options.nvrtc);
    return this.compiler;
  }
}

/**
 * A compiled program: temporaries (one allocation per memory-plan slot) and constants live as
 * long as the executable; each run allocates only its outputs.
 */
class CudaExecutable implements Executable {
  readonly sources: string[];
  private readonly owned: DevicePointer[] = [];
  private readonly resident = new Map<number, DevicePointer>();
  /** Outputs the program may not write in full: zeroed for each run. */
  private readonly partialOutputs: Set<number>;
  private disposed = false;

  constructor(
    private readonly backend: CudaBackend,
    private readonly device: CudaDevice,
    readonly program: KernelProgram,
    private readonly rendered: RenderedProgram,
    private readonly functions: (bigint | undefined)[],
  ) {
    this.sources = rendered.kernels.map((k) => k.source);
    this.partialOutputs = new Set(outputsNotProvablyCovered(program));
    const slots = new Map<number, DevicePointer>();
    for (const s of program.slots) {
      const p = device.alloc(s.bytes);
      this.owned.push(p);
      slots.set(s.id, p);
    }
    for (const b of program.buffers) {
      if (b.kind === 'temp') {
        let p = b.slot !== undefined ? slots.get(b.slot) : undefined;
        if (p === undefined) {
          p = device.alloc(b.size * BYTES_PER_ELEMENT[b.dtype]);
          this.owned.push(p);
        }
        this.resident.set(b.id, p);
      } else if (b.kind === 'const') {
        const data = program.constants[b.constant ?? -1];
        if (!data) throw new BufferMismatchError(`${backend.name}: constant buffer ${b.id} has no data`);
        const typed = typedArrayFor(b.dtype, data.length);
        typed.set(data);
        const p = device.alloc(typed.byteLength);
        this.owned.push(p);
        device.upload(p, typed);
        this.resident.set(b.id, p);
      }
    }
  }

  run(inputs: DeviceBuffer[]): DeviceBuffer[] {
    if (this.disposed) throw new BufferMismatchError(`${this.backend.name}: run() after dispose()`);
    checkRunInputs(this.program, inputs, this.backend.name);
    const pointers = new Map(this.resident);
    this.program.inputs.forEach((id, i) => {
      pointers.set(id, this.backend.own(inputs[i]!).pointer);
    });
    const outputs = this.program.outputs.map((id) => {
      const decl = this.program.buffers.find((b) => b.id === id)!;
      const out = this.backend.allocate(decl.dtype, decl.size);
      // cuMemAlloc may hand back a freed tensor's memory: cleared where the program writes nothing.
      if (this.partialOutputs.has(id))
        this.device.zero(out.pointer, decl.size * BYTES_PER_ELEMENT[decl.dtype]);
      pointers.set(id, out.pointer);
      return out;
    });
    this.rendered.kernels.forEach((k, i) => {
      const fn = this.functions[i];
      if (fn === undefined) return;
      this.device.launch(
        fn,
        k.grid,
        k.block,
        k.params.map((id) => pointers.get(id)!),
      );
    });
    return outputs;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.owned) this.device.free(p);
  }
}

export function createCudaBackend(options: CudaBackendOptions = {}): CudaBackend {
  return new CudaBackend(options);
}
