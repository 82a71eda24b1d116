/**
 * @paradox/backend-cuda: CUDA C kernels through NVRTC and the driver API, plus a CPU emulation
 * of the same source for machines without a GPU. Importing registers the 'cuda' backend; the
 * driver loads on first use, so the import works everywhere.
 */
import { registerBackend } from '@paradox/backend';
import { CudaBackend } from './backend.js';

export { CudaBackend, type CudaBackendOptions, CudaBuffer, createCudaBackend } from './backend.js';
export { CUDA_CAPABILITIES } from './capabilities.js';
export { CudaDevice, type DeviceOptions } from './driver/device.js';
export { Nvrtc, type NvrtcImage } from './driver/nvrtc.js';
export {
  createEmulatedCudaBackend,
  type EmulatedBackendOptions,
  EmulatedCudaBackend,
} from './emulated/backend.js';
export { EMU_INCLUDE_DIR, EmulationCompiler } from './emulated/compiler.js';
export * from './errors.js';
export { type CudaProbe, probeCuda } from './probe.js';
export type { ReduceStrategy, RenderedKernel, RenderOptions } from './render/kernel.js';
export { type RenderedProgram, renderCudaProgram, renderProgram } from './render/program.js';
export { findCxx, findNvcc, type Tool } from './toolchain.js';

/** The registered 'cuda' backend (below js and wgsl: chosen by name, never by default). */
export const cudaBackend = new CudaBackend();
registerBackend(cudaBackend, { priority: 5 });
