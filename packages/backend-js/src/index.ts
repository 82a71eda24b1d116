// @paradox/backend-js: the default backend. Importing it registers 'js' with priority 100.
import { registerBackend } from '@paradox/backend';
import { createJsBackend } from './backend.js';

export { createJsBackend, type JsBackend, type JsBackendOptions } from './backend.js';
export { DEFAULT_TILE, type TileShape } from './contraction.js';
export { CodeGenerationBlockedError } from './errors.js';
export type { AllocationEvent } from './executable.js';
export { exp32, tanh32 } from './math32.js';
export { type RenderedKernel, type RenderOptions, renderKernel, renderProgram } from './render.js';

/** The registered default backend. */
export const jsBackend = createJsBackend();
registerBackend(jsBackend, { priority: 100 });
