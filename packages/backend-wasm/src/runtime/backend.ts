import {
  type Backend,
  type Capabilities,
  checkProgram,
  type DeviceBuffer,
  supportedOps,
} from '@paradox/backend';
import type { DType, KernelProgram, TypedArray } from '@paradox/ir';
import { helperImports } from '../codegen/helpers.js';
import { buildProgramModule } from '../codegen/program-module.js';
import { BINARY, UNARY } from '../codegen/scalar-ops.js';
import { Arena, type MemoryStats } from './arena.js';
import { allocateBuffer, asWasmBuffer, downloadBuffer, memoryView, settle, uploadBuffer } from './buffers.js';
import { ProgramLayout, WasmExecutable } from './executable.js';
import { simdSupported } from './features.js';
import { programRunner } from './program-runner.js';
import { ThreadPool, threadsAvailable } from './thread-pool.js';

export interface WasmBackendOptions {
  /** Registry name (default 'wasm'). */
  name?: string;
  /** Upper bound of the backend's linear memory in bytes (default 2 GiB); growth past it throws WasmMemoryLimitError. */
  maxMemoryBytes?: number;
  /** Use SIMD128 (default: when the engine supports it). */
  simd?: boolean;
  /**
   * Threads, the calling one included (default 1). Above 1, where worker_threads and shared memory
   * exist (Node), big kernels split their outer loop over a worker pool; elsewhere the backend stays
   * single-threaded with the same results.
   */
  threads?: number;
  /** Smallest kernel (points x reduction length) worth splitting over threads (default 65,536). */
  minParallelWork?: number;
}

export interface WasmBackend extends Backend {
  compile(program: KernelProgram): WasmExecutable;
  download(buffer: DeviceBuffer): TypedArray;
  /** Size, use and growth of the backend's WebAssembly.Memory. */
  memoryStats(): MemoryStats;
  /**
   * The module the last compile() built: its size, the time to render and encode it (ms), and the
   * engine's time to compile and instantiate it (ms).
   */
  readonly lastBuild: { bytes: number; ms: number; instantiateMs: number };
  readonly simd: boolean;
  /** Threads kernels run on (1 where threads are unavailable or not asked for). */
  readonly threads: number;
  /** Stops the worker threads (the backend stays usable, single-threaded). */
  close(): void;
  /** Kernel calls split over worker threads so far. */
  readonly parallelRuns: number;
  /** The module compile() would instantiate for `program` (inspection, tests, build timing). */
  moduleBytes(program: KernelProgram): Uint8Array;
}

const OPS = supportedOps(Object.keys(UNARY), Object.keys(BINARY));

const CAPABILITIES: Capabilities = {
  dtypes: ['float32', 'int32', 'bool'],
  ops: OPS,
  maxBuffersPerKernel: 256,
  sync: true,
  // Tensors' buffers are regions of the wasm memory: free() returns them, the collector cannot.
  gcManagedBuffers: false,
  layout: { contractionRhs: 'kn' },
};

export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const name = options.name ?? 'wasm';
  const simd = options.simd ?? simdSupported();
  const wantThreads = Math.max(1, Math.floor(options.threads ?? 1));
  const shared = wantThreads > 1 && threadsAvailable();
  const arena = new Arena(options.maxMemoryBytes ?? 2 ** 31, shared);
  let pool = shared ? ThreadPool.create(arena.memory, wantThreads) : undefined;
  const minParallelWork = options.minParallelWork ?? 65536;
  const imports = { env: { memory: arena.memory }, h: helperImports() };
  const moduleOptions = { maxPages: arena.maxPages, shared: arena.shared, simd };
  const backend: WasmBackend = {
    name,
    capabilities: CAPABILITIES,
    simd,
    get threads() {
      return pool?.threads ?? 1;
    },
    get parallelRuns() {
      return pool?.dispatched ?? 0;
    },
    close() {
      pool?.terminate();
      pool = undefined;
    },
    lastBuild: { bytes: 0, ms: 0, instantiateMs: 0 },
    compile(program: KernelProgram) {
      checkProgram(backend, program);
      const layout = new ProgramLayout(program, arena);
      try {
        const t0 = performance.now();
        const built = buildProgramModule(program, layout.location, moduleOptions);
        const t1 = performance.now();
        const module = new WebAssembly.Module(built.bytes as BufferSource);
        const instance = new WebAssembly.Instance(module, imports);
        backend.lastBuild.bytes = built.bytes.length;
        backend.lastBuild.ms = t1 - t0;
        backend.lastBuild.instantiateMs = performance.now() - t1;
        const runner = programRunner(instance, module, built, arena, pool, minParallelWork);
        const sources = program.kernels.map(
          (_, k) => `;; kernel ${k}: function k${k} of a ${built.bytes.length}-byte wasm module`,
        );
        return new WasmExecutable(program, sources, layout, runner, arena, name);
      } catch (e) {
        layout.release();
        throw e;
      }
    },
    allocate(dtype: DType, size: number): DeviceBuffer {
      const buffer = allocateBuffer(arena, name, dtype, size);
      // Callers may read a buffer they never wrote: cleared like a fresh allocation, when first read.
      buffer.unwritten = true;
      return buffer;
    },
    upload(buffer: DeviceBuffer, data: TypedArray) {
      uploadBuffer(arena, asWasmBuffer(buffer, name), data);
    },
    download(buffer: DeviceBuffer): TypedArray {
      return downloadBuffer(arena, asWasmBuffer(buffer, name));
    },
    // A view of the buffer in linear memory, for a caller that copies from it at once (an upload to
    // another backend). Not over shared memory: other backends' uploads may not take one.
    readInPlace: arena.shared
      ? undefined
      : (buffer: DeviceBuffer): TypedArray => {
          const b = settle(arena, asWasmBuffer(buffer, name));
          return memoryView(arena, b.dtype, b.address, b.size);
        },
    free(buffer: DeviceBuffer) {
      const b = asWasmBuffer(buffer, name);
      b.freed = true;
      arena.release(b.address);
    },
    memoryStats: () => arena.stats(),
    moduleBytes(program: KernelProgram) {
      checkProgram(backend, program);
      const layout = new ProgramLayout(program, arena);
      try {
        return buildProgramModule(program, layout.location, moduleOptions).bytes;
      } finally {
        layout.release();
      }
    },
  };
  return backend;
}
