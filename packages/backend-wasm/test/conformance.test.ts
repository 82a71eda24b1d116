import { describeBackendConformance } from '@paradox/backend-conformance';
import { createWasmBackend } from '@paradox/backend-wasm';

describeBackendConformance('wasm', () => createWasmBackend());
