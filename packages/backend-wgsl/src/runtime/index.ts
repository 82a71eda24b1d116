export { BufferPool, sizeClass } from './buffer-pool.js';
export { DEFAULT_TIMEOUT_MS } from './deadline.js';
export { type AcquiredDevice, acquireDevice } from './device.js';
export { splitDispatch } from './dispatch.js';
export { withErrorScopes } from './error-scope.js';
export {
  WebGpuError,
  WebGpuTimeoutError,
  WebGpuUnavailableError,
  WebGpuValidationError,
  type WebGpuWaitStage,
  WgslCompileError,
  type WgslDiagnostic,
} from './errors.js';
export { type GpuProvider, navigatorGpu } from './gpu-provider.js';
export { hashString } from './hash.js';
export {
  type BindingKind,
  type CompiledPipeline,
  DEFAULT_MAX_IDLE_PIPELINES,
  PipelineCache,
  type PipelineCacheOptions,
} from './pipeline-cache.js';
export { type DispatchCommand, GpuRuntime, type GpuRuntimeOptions } from './runtime.js';
export { BufferUsage, MapMode, STORAGE_USAGE } from './usage.js';
