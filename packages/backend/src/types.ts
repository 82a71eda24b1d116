import type { DType, KernelProgram, TypedArray } from '@paradox/ir';

/** What a backend can do; fusion and layout read these (never a backend's name). */
export interface Capabilities {
  dtypes: DType[];
  /** Graph ops this backend can run; an op outside this set makes jit fall back to eager. */
  ops: ReadonlySet<string>;
  /** Most distinct buffers (loads + stores) one kernel may touch; fusion splits groups to fit. */
  maxBuffersPerKernel: number;
  /** true: download() returns synchronously and dataSync() works. */
  sync: boolean;
  /**
   * true: buffers are ordinary garbage-collected memory, so one nobody frees is simply collected
   * and eager tensors skip their FinalizationRegistry entry (costly for V8's GC). Leave unset when
   * free() releases something the collector cannot see (GPU memory, native allocations).
   */
  gcManagedBuffers?: boolean;
  /** Where float arithmetic departs from the reference numerics; absent means it does not. */
  numerics?: NumericsCapabilities;
  /** Layout preferences read by the layout pass. */
  layout?: {
    /** Preferred contiguous order of the matmul right operand: 'kn' (row-major [K,N]) or 'nk' (transposed). */
    contractionRhs?: 'kn' | 'nk';
  };
}

/** Declared departures from the reference float numerics (the conformance suite checks them). */
export interface NumericsCapabilities {
  /**
   * float32 subnormals may be flushed to zero of the same sign: as operands of arithmetic and
   * comparisons (denormals-are-zero) and as results (flush-to-zero). WGSL allows it and CPU
   * adapters such as SwiftShader do it. Bit-level ops (cast to bool, floor/ceil/sign) may still be exact.
   */
  flushesSubnormals?: boolean;
  /**
   * Results are defined only where the reference produces no NaN or infinity, and the sign of a zero
   * result is not kept: WGSL lets implementations assume finite math, and SwiftShader's optimizer
   * rewrites accordingly (`0 * (x / 0)` becomes `x`, NaN operands of min/max may be dropped). A
   * backend that declares it still computes every finite result correctly.
   */
  assumesFiniteMath?: boolean;
}

/** An opaque device allocation. `size` is in elements. */
export interface DeviceBuffer {
  readonly backend: string;
  readonly dtype: DType;
  readonly size: number;
}

/** A compiled program. Warm runs allocate nothing but their outputs. */
export interface Executable {
  readonly program: KernelProgram;
  /** Generated source, one entry per kernel (for inspect() and --emit code). */
  readonly sources: string[];
  /**
   * Runs the program; `inputs` follow program.inputs. Returns new output buffers, following program.outputs.
   * An asynchronous run may read its inputs until its promise settles: callers keep them unfreed until then.
   *
   * `reuse[i]`, when given, is memory the caller hands over for output i (buffer donation): an
   * input buffer of the same dtype and size that `donatableOutputs` (@paradox/ir) proved the program
   * may overwrite while it runs. A backend may store output i into it and return it as output i, or
   * ignore it and return a fresh buffer; callers take whatever comes back.
   */
  run(
    inputs: DeviceBuffer[],
    reuse?: readonly (DeviceBuffer | undefined)[],
  ): DeviceBuffer[] | Promise<DeviceBuffer[]>;
  dispose(): void;
}

export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  compile(program: KernelProgram): Executable | Promise<Executable>;
  /**
   * Optional: compiles without blocking the event loop (e.g. a native compiler run as a child
   * process). jit's background tiers use it when present, compile() otherwise.
   */
  compileAsync?(program: KernelProgram): Promise<Executable>;
  allocate(dtype: DType, size: number): DeviceBuffer;
  /** Copies `data` into the buffer: the caller may change or reuse `data` as soon as this returns. */
  upload(buffer: DeviceBuffer, data: TypedArray): void;
  /**
   * A new host array the caller owns (the buffer's later contents never show through it), so
   * callers need not copy again. Sync backends return it directly.
   */
  download(buffer: DeviceBuffer): TypedArray | Promise<TypedArray>;
  /**
   * Optional, for backends whose buffers are host memory: the buffer's own array, to be copied
   * from at once (an upload to another backend) without the copy download() makes. Callers must
   * not keep it, change it or hand it out.
   */
  readInPlace?(buffer: DeviceBuffer): TypedArray;
  /**
   * Optional: download() and free() in one step (a tensor's `dataSync({ transfer: true })`). A
   * host backend may hand over the buffer's own memory instead of copying it, when nothing else
   * shares that memory; the buffer is freed either way. Callers that hold no other reference to
   * the buffer use it; without it they download and free.
   */
  transfer?(buffer: DeviceBuffer): TypedArray | Promise<TypedArray>;
  free(buffer: DeviceBuffer): void;
  /** Renders a program's source without compiling it (paradox-opt --emit code). */
  render?(program: KernelProgram): string;
}
