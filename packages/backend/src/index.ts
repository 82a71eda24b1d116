// @paradox/backend: the plugin SDK. The conformance suite lives at '@paradox/backend-conformance'.

export { copyOut, uninitialisedArrayBuffer } from './copy-out.js';
export * from './errors.js';
export {
  allocateHostBuffer,
  allocateHostMemory,
  asHostBuffer,
  HostBuffer,
  uploadHostBuffer,
} from './host-buffer.js';
export { freeHostBuffer, HostMemoryPool, HostSlab, hostView, transferHostBuffer } from './host-memory.js';
export {
  type HostAllocationEvent,
  type HostAllocator,
  ProgramOutputs,
  programStorage,
} from './host-storage.js';
export {
  defaultTiers,
  getBackend,
  listBackends,
  type RegisterOptions,
  registerBackend,
  unregisterBackend,
} from './registry.js';
export { checkRunInputs, type RunInputCheck, reusedHostOutput, runInputCheck } from './run-inputs.js';
export { checkProgram, checkProgramSupported, exprOpName, kernelBuffers, supportedOps } from './support.js';
export type * from './types.js';
