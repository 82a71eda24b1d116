import {
  type Backend,
  type Capabilities,
  checkProgramSupported,
  type DeviceBuffer,
  supportedOps,
} from '@paradox/backend';
import { type DType, type KernelProgram, type TypedArray, verifyProgram } from '@paradox/ir';
import { helperImports } from '../codegen/helpers.js';
import { buildProgramModule } from '../codegen/program-module.js';
import { BINARY, UNARY } from '../codegen/scalar-ops.js';
import { Arena, type MemoryStats } from './arena.js';
import { allocateBuffer, asWasmBuffer, memoryView, uploadBuffer } from './buffers.js';
import { ProgramLayout, WasmExecutable } from './executable.js';
import { simdSupported } from './features.js';

export interface WasmBackendOptions {
  /** Registry name (default 'wasm'). */
  name?: string;
  /** Upper bound of the backend's linear memory in bytes (default 2 GiB); growth past it throws WasmMemoryLimitError. */
  maxMemoryBytes?: number;
  /** Use SIMD128 (default: when the engine supports it). */
  simd?: boolean;
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
  const arena = new Arena(options.maxMemoryBytes ?? 2 ** 31, false);
  const imports = { env: { memory: arena.memory }, h: helperImports() };
  const moduleOptions = { maxPages: arena.maxPages, shared: arena.shared, simd };
  const backend: WasmBackend = {
    name,
    capabilities: CAPABILITIES,
    simd,
    lastBuild: { bytes: 0, ms: 0, instantiateMs: 0 },
    compile(program: KernelProgram) {
      checkProgramSupported(backend, program);
      verifyProgram(program);
      const layout = new ProgramLayout(program, arena);
      try {
        const t0 = performance.now();
        const built = buildProgramModule(program, layout.location, moduleOptions);
        const t1 = performance.now();
        const instance = new WebAssembly.Instance(
          new WebAssembly.Module(built.bytes as BufferSource),
          imports,
        );
        backend.lastBuild.bytes = built.bytes.length;
        backend.lastBuild.ms = t1 - t0;
        backend.lastBuild.instantiateMs = performance.now() - t1;
        const run = instance.exports.run as (...addresses: number[]) => void;
        const sources = program.kernels.map(
          (_, k) => `;; kernel ${k}: function k${k} of a ${built.bytes.length}-byte wasm module`,
        );
        return new WasmExecutable(program, sources, layout, run, arena, name);
      } catch (e) {
        layout.release();
        throw e;
      }
    },
    allocate(dtype: DType, size: number): DeviceBuffer {
      const buffer = allocateBuffer(arena, name, dtype, size);
      // Callers may read a buffer they never wrote: cleared like a fresh allocation.
      memoryView(arena, dtype, buffer.address, size).fill(0);
      return buffer;
    },
    upload(buffer: DeviceBuffer, data: TypedArray) {
      uploadBuffer(arena, asWasmBuffer(buffer, name), data);
    },
    download(buffer: DeviceBuffer): TypedArray {
      const b = asWasmBuffer(buffer, name);
      return memoryView(arena, b.dtype, b.address, b.size).slice();
    },
    free(buffer: DeviceBuffer) {
      const b = asWasmBuffer(buffer, name);
      b.freed = true;
      arena.release(b.address);
    },
    memoryStats: () => arena.stats(),
    moduleBytes(program: KernelProgram) {
      checkProgramSupported(backend, program);
      verifyProgram(program);
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
