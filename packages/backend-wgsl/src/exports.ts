// Public API shared by the Node and browser entries.
export { createWgslBackend, WgslBackend, type WgslBackendOptions } from './backend.js';
export { WgslBuffer } from './buffer.js';
export { WGSL_OPS } from './capabilities.js';
export { DEFAULT_RENDER_OPTIONS, type RenderOptions, renderKernel, renderProgram } from './codegen/render.js';
export type { RenderedKernel } from './codegen/shader.js';
export { WgslExecutable } from './executable.js';
export { fromHalfBits, toHalfBits } from './host-format.js';
export * from './runtime/index.js';
