export { BufferPool, sizeClass } from './buffer-pool.js';
export { type AcquiredDevice, acquireDevice } from './device.js';
export { splitDispatch } from './dispatch.js';
export { withErrorScopes } from './error-scope.js';
export {
  WebGpuError,
  WebGpuUnavailableError,
  WebGpuValidationError,
  WgslCompileError,
  type WgslDiagnostic,
} from './errors.js';
export { type GpuProvider, navigatorGpu } from './gpu-provider.js';
export { hashString } from './hash.js';
export { type BindingKind, type CompiledPipeline, PipelineCache } from './pipeline-cache.js';
export { type DispatchCommand, GpuRuntime } from './runtime.js';
export { BufferUsage, MapMode, STORAGE_USAGE } from './usage.js';
