/**
 * @paradox/core: Paradox by one name. Tensors and tracing (@paradox/tracer), jit (@paradox/jit) and
 * the default JavaScript backend (@paradox/backend-js, registered on import).
 */
import '@paradox/backend-js';

export { jsBackend } from '@paradox/backend-js';
export * from '@paradox/jit';
export * from '@paradox/tracer';
