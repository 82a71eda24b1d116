import { type Capabilities, supportedOps } from '@paradox/backend';
import type { DType } from '@paradox/ir';
import { BINARY, UNARY } from './codegen/syntax.js';

/** Every graph op the syntax tables cover, plus the structural ones every kernel can express. */
export const WGSL_OPS = supportedOps(Object.keys(UNARY), Object.keys(BINARY));

/** WebGPU's guaranteed minimum of storage buffers per shader stage, until a device says more. */
export const DEFAULT_MAX_BUFFERS = 8;

/** Capabilities before a device exists; `refine` fills in what the device offers. */
export function initialCapabilities(): Capabilities {
  return {
    dtypes: ['float32', 'int32', 'bool'],
    ops: WGSL_OPS,
    maxBuffersPerKernel: DEFAULT_MAX_BUFFERS,
    sync: false,
    // WGSL lets implementations flush subnormals, and SwiftShader does (operands and results);
    // casts to bool, floor/ceil/sign and mod's zero sign read the bits, so those stay exact.
    // WGSL also lets them assume finite math (no NaN, no infinities, no signed zeros), and
    // SwiftShader's optimizer does: literals are opaque (codegen/literals.ts) so constants cannot be
    // folded, but algebra on runtime values (`0 * (x / 0)` -> x) cannot be prevented.
    numerics: { flushesSubnormals: true, assumesFiniteMath: true },
    layout: { contractionRhs: 'kn' },
  };
}

export function refineCapabilities(
  caps: Capabilities,
  device: { maxStorageBuffers: number; f16: boolean },
): void {
  caps.maxBuffersPerKernel = device.maxStorageBuffers;
  if (device.f16 && !caps.dtypes.includes('float16')) caps.dtypes = [...caps.dtypes, 'float16' as DType];
}
