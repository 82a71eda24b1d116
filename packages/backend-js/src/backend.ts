import {
  allocateHostBuffer,
  asHostBuffer,
  type Backend,
  type Capabilities,
  checkProgram,
  type DeviceBuffer,
  freeHostBuffer,
  type HostAllocator,
  HostBuffer,
  HostMemoryPool,
  hostView,
  supportedOps,
  uploadHostBuffer,
} from '@paradox/backend';
import { BYTES_PER_ELEMENT, type DType, type KernelProgram, type TypedArray } from '@paradox/ir';
import type { TileShape } from './contraction.js';
import { JsExecutable } from './executable.js';
import { KernelCache } from './kernel-cache.js';
import { renderKernel, renderProgram } from './render.js';
import { runtime } from './runtime.js';
import { BINARY, UNARY } from './syntax.js';

export interface JsBackendOptions {
  /** Registry name (default 'js'). */
  name?: string;
  /** Register block of tiled matmuls (default 2 x 8); `false` disables tiling. */
  tile?: TileShape | false;
  /** Called for every allocation the backend makes (memory tests, profiling). */
  onAllocate?: HostAllocator;
}

export interface JsBackend extends Backend {
  /** Synchronous: rendering and `new Function` happen on the spot. */
  compile(program: KernelProgram): JsExecutable;
  /** Synchronous: buffers are host memory. */
  download(buffer: DeviceBuffer): TypedArray;
  render(program: KernelProgram): string;
  /** Compiled-kernel cache shared by this backend's executables. */
  readonly cache: KernelCache;
}

/** Every graph op the syntax tables cover, plus the structural ones every kernel can express. */
const OPS = supportedOps(Object.keys(UNARY), Object.keys(BINARY));

const CAPABILITIES: Capabilities = {
  dtypes: ['float32', 'int32', 'bool'],
  ops: OPS,
  // Kernels are plain JS functions: the limit only bounds parameter lists.
  maxBuffersPerKernel: 256,
  sync: true,
  // Buffers are typed arrays: free() only recycles them, so forgotten tensors need no finalizer.
  gcManagedBuffers: true,
  layout: { contractionRhs: 'kn' },
};

export function createJsBackend(options: JsBackendOptions = {}): JsBackend {
  const name = options.name ?? 'js';
  const onAllocate: HostAllocator = options.onAllocate ?? (() => {});
  const renderOptions = { tile: options.tile ?? undefined };
  const cache = new KernelCache(runtime);
  const pool = new HostMemoryPool();
  const backend: JsBackend = {
    name,
    capabilities: CAPABILITIES,
    cache,
    compile(program: KernelProgram) {
      checkProgram(backend, program);
      const rendered = program.kernels.map((k, i) => renderKernel(k, `kernel ${i}`, renderOptions));
      const kernels = rendered.map((r) => ({ fn: cache.get(r.source), params: r.params }));
      return new JsExecutable(
        program,
        rendered.map((r) => r.source),
        kernels,
        name,
        onAllocate,
        pool,
      );
    },
    allocate(dtype: DType, size: number): DeviceBuffer {
      const reused =
        Number.isInteger(size) && size > 0 ? pool.take(size * BYTES_PER_ELEMENT[dtype]) : undefined;
      // Callers may read a buffer they never wrote: reused memory is cleared like a fresh one.
      if (reused) return new HostBuffer(name, dtype, hostView(dtype, reused, size).fill(0));
      onAllocate({ purpose: 'buffer', bytes: size * BYTES_PER_ELEMENT[dtype] });
      return allocateHostBuffer(name, dtype, size);
    },
    upload(buffer: DeviceBuffer, data: TypedArray) {
      uploadHostBuffer(asHostBuffer(buffer, name), data);
    },
    download(buffer: DeviceBuffer): TypedArray {
      return asHostBuffer(buffer, name).data.slice();
    },
    readInPlace(buffer: DeviceBuffer): TypedArray {
      return asHostBuffer(buffer, name).data;
    },
    free(buffer: DeviceBuffer) {
      freeHostBuffer(buffer, name, pool);
    },
    render(program: KernelProgram) {
      checkProgram(backend, program);
      return renderProgram(program, renderOptions);
    },
  };
  return backend;
}
