/**
 * @paradox/backend-wgsl, Node/default entry: registers the 'wgsl' backend, with WebGPU from
 * `navigator.gpu` where it exists and Node's `webgpu` package (Dawn) otherwise. Browsers resolve
 * the `browser` export condition to ./browser.ts, which never references the Node-only package.
 */
import { registerBackend } from '@paradox/backend';
import { createWgslBackend } from './backend.js';
import { nodeGpu } from './node-gpu.js';
import { navigatorGpu } from './runtime/gpu-provider.js';

export * from './exports.js';
export { findSwiftShaderIcd, type NodeGpuOptions, nodeGpu } from './node-gpu.js';

const fromNode = nodeGpu();

/** The registered backend (priority 10: below 'js', so it is used when asked for by name). */
export const wgslBackend = createWgslBackend({ gpu: async () => navigatorGpu() ?? (await fromNode()) });
registerBackend(wgslBackend, { priority: 10 });
