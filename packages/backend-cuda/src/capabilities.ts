import { type Capabilities, supportedOps } from '@paradox/backend';
import { BINARY_OPS, UNARY_OPS } from '@paradox/ir';

/** Every op of op set v1: views are index arithmetic, the rest has a rule in the C-family tables. */
const OPS = supportedOps(UNARY_OPS, BINARY_OPS);

/** What the CUDA backend (and its CPU emulation) can run. */
export const CUDA_CAPABILITIES: Capabilities = {
  dtypes: ['float32', 'int32', 'bool'],
  ops: OPS,
  // Kernel parameters are 8-byte pointers; 4 KiB of parameters is the portable limit. 64 keeps
  // compile times and register pressure sane.
  maxBuffersPerKernel: 64,
  sync: true,
  layout: { contractionRhs: 'kn' },
};
