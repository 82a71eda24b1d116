import { type CDialect, uintLiteral } from '@paradox/codegen-c/render';

/** CUDA C spellings of what differs between C-family targets. NVRTC compiles without headers, so nothing here needs one. */
export const CUDA_DIALECT: CDialect = {
  floatFromBits: (bits) => `__uint_as_float(${uintLiteral(bits)})`,
  rsqrt: (x) => `rsqrtf(${x})`,
  helperQualifier: '__device__ __forceinline__',
};
