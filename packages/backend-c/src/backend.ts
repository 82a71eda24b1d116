import { availableParallelism } from 'node:os';
import {
  allocateHostBuffer,
  asHostBuffer,
  type Backend,
  type Capabilities,
  checkProgram,
  copyOut,
  type DeviceBuffer,
  freeHostBuffer,
  HostBuffer,
  HostMemoryPool,
  HostSlab,
  supportedOps,
  transferHostBuffer,
  uninitialisedArrayBuffer,
  uploadHostBuffer,
} from '@paradox/backend';
import { BINARY_OPS, type DType, type KernelProgram, type TypedArray, UNARY_OPS } from '@paradox/ir';
import { alignedArray, alignedBufferOf } from './aligned.js';
import { CCompiler, type CompilerOptions } from './compiler.js';
import { CCompileManyError, CUnavailableError } from './errors.js';
import { CExecutable } from './executable.js';
import { type EntryPoint, entryPoint, entryPointAsync } from './library.js';
import { type RenderedProgram, type RenderOptions, renderCProgram } from './render/program.js';

export interface CBackendOptions extends CompilerOptions {
  /** Registry name (default 'c'). */
  name?: string;
  /** OpenMP threads per run (default: $PARADOX_THREADS, else every core). Settable later as `backend.threads`. */
  threads?: number;
  render?: RenderOptions;
}

const CAPABILITIES: Capabilities = {
  dtypes: ['float32', 'int32', 'bool'],
  ops: supportedOps(UNARY_OPS, BINARY_OPS),
  maxBuffersPerKernel: 64,
  sync: true,
  gcManagedBuffers: true,
  layout: { contractionRhs: 'kn' },
};

/** Threads from PARADOX_THREADS (a positive integer), else the machine's cores. */
export function defaultThreads(): number {
  const env = Number(process.env.PARADOX_THREADS);
  return Number.isInteger(env) && env > 0 ? env : availableParallelism();
}

/**
 * The native C backend: each program becomes one C translation unit, compiled by the host C
 * compiler into a shared object (cached in memory and on disk) and run by one FFI call. Buffers
 * are host typed arrays, so everything is synchronous.
 */
export class CBackend implements Backend {
  readonly name: string;
  readonly capabilities = CAPABILITIES;
  readonly compiler: CCompiler;
  /** OpenMP threads of the next run. */
  threads: number;
  /** Freed large outputs for reuse; fresh ones that a program writes in full are not zero-filled. */
  private readonly pool = new HostMemoryPool(undefined, uninitialisedArrayBuffer);
  /** Small outputs: carved from shared memory koffi can pass without moving them off V8's heap. */
  private readonly slab = new HostSlab();
  private readonly renderOptions: RenderOptions;

  constructor(options: CBackendOptions = {}) {
    this.name = options.name ?? 'c';
    this.compiler = new CCompiler(options);
    this.threads = options.threads ?? defaultThreads();
    this.renderOptions = options.render ?? {};
  }

  /** Why this backend cannot compile (no C compiler), or undefined when it can. */
  get unavailableReason(): string | undefined {
    return this.compiler.unavailableReason;
  }

  compile(program: KernelProgram): CExecutable {
    const rendered = this.rendered(program);
    const key = this.compiler.key(rendered.source);
    const entry = entryPoint(key, () => this.compiler.build(rendered.source).path, program.buffers.length);
    return this.executable(program, rendered, entry);
  }

  /** compile(), with the C compiler as a child process (queued), so the event loop never waits on it. */
  async compileAsync(program: KernelProgram): Promise<CExecutable> {
    const rendered = this.rendered(program);
    await this.compiler.probeAsync(); // key() needs the flags, which need the OpenMP probe
    const key = this.compiler.key(rendered.source);
    const build = async () => (await this.compiler.buildAsync(rendered.source)).path;
    const entry = await entryPointAsync(key, build, program.buffers.length);
    return this.executable(program, rendered, entry);
  }

  /**
   * Compiles many programs at once: each is rendered now, identical sources share one compile, and
   * the missing shared objects are built in the background through `compileQueue` (its width at
   * once), each cached on disk as compile() would, so later compile() calls of these programs
   * start no compiler. Resolves with the executables in order; if any program fails, the others
   * are disposed and it rejects with a CCompileManyError naming each failed program's position.
   */
  async compileMany(programs: readonly KernelProgram[]): Promise<CExecutable[]> {
    const settled = await Promise.allSettled(programs.map((p) => this.compileAsync(p)));
    const failures = settled.flatMap((s, index) =>
      s.status === 'rejected'
        ? [{ index, error: s.reason instanceof Error ? s.reason : new Error(String(s.reason)) }]
        : [],
    );
    const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failures.length === 0) return done;
    for (const exe of done) exe.dispose();
    throw new CCompileManyError(failures, programs.length);
  }

  private rendered(program: KernelProgram): RenderedProgram {
    const reason = this.unavailableReason;
    if (reason !== undefined) throw new CUnavailableError(reason, this.name);
    checkProgram(this, program);
    return renderCProgram(program, { ...this.renderOptions, verified: true });
  }

  private executable(program: KernelProgram, rendered: RenderedProgram, entry: EntryPoint): CExecutable {
    return new CExecutable(
      program,
      rendered.kernels,
      entry,
      this.name,
      () => this.threads,
      this.pool,
      this.slab,
    );
  }

  allocate(dtype: DType, size: number): DeviceBuffer {
    if (!Number.isInteger(size) || size < 0) return allocateHostBuffer(this.name, dtype, size);
    return new HostBuffer(
      this.name,
      dtype,
      alignedArray(dtype, size, (bytes) => this.pool.take(bytes)),
    );
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    uploadHostBuffer(asHostBuffer(buffer, this.name), data);
  }

  download(buffer: DeviceBuffer): TypedArray {
    return copyOut(asHostBuffer(buffer, this.name).data);
  }

  readInPlace(buffer: DeviceBuffer): TypedArray {
    return asHostBuffer(buffer, this.name).data;
  }

  /**
   * download() and free() in one: a large output's own array, handed over without a copy (its
   * memory is not pooled again, so the caller owns it); a small one (carved from a slab) is copied.
   */
  transfer(buffer: DeviceBuffer): TypedArray {
    return transferHostBuffer(buffer, this.name, this.pool, this.slab, copyOut);
  }

  free(buffer: DeviceBuffer): void {
    // An aligned array is a view into a slightly longer buffer, which the pool takes back whole
    // (the next allocation of that size reuses it instead of faulting in fresh pages).
    const aligned = alignedBufferOf(asHostBuffer(buffer, this.name).data);
    freeHostBuffer(buffer, this.name, this.pool, this.slab);
    if (aligned) this.pool.give(aligned);
  }

  render(program: KernelProgram): string {
    return renderCProgram(program, this.renderOptions).source;
  }
}

export function createCBackend(options: CBackendOptions = {}): CBackend {
  return new CBackend(options);
}

export { HostBuffer as CBuffer };
