// @paradox/example-toy-backend: importing it registers the 'toy' backend (below the default 'js').
import { registerBackend } from '@paradox/backend';
import { toyBackend } from './toy-backend.js';

export { evaluateKernel } from './evaluate-kernel.js';
export { toyBackend } from './toy-backend.js';

registerBackend(toyBackend, { priority: 10 });
