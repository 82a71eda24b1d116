/** @paradox/backend-wgsl, browser entry: registers 'wgsl' with WebGPU from navigator.gpu only. */
import { registerBackend } from '@paradox/backend';
import { createWgslBackend } from './backend.js';
import { navigatorGpu } from './runtime/gpu-provider.js';

export * from './exports.js';

export const wgslBackend = createWgslBackend({ gpu: navigatorGpu });
registerBackend(wgslBackend, { priority: 10 });
