import type { CDialect } from '@paradox/codegen-c/render';

/** Plain C (C11, gcc/clang): NaN/Inf through a bit cast, the vectorisable math of vector_math.ts. */
export const C_DIALECT: CDialect = {
  floatFromBits: (bits) => `px_bits_f(0x${bits.toString(16)}u)`,
  rsqrt: (x) => `(1.0f / sqrtf(${x}))`,
  helperQualifier: 'static inline',
  math: {
    exp: (x) => `px_expf(${x})`,
    log: (x) => `px_logf(${x})`,
    sin: (x) => `px_sinf(${x})`,
    cos: (x) => `px_cosf(${x})`,
    tanh: (x) => `px_tanhf(${x})`,
    sigmoid: (x) => `px_sigmoidf(${x})`,
  },
  // softmax's exp(x - max): no upper clamp and one scale instead of two (18 vector ops, not 22).
  expNonPositive: (x) => `px_expf_np(${x})`,
  // vdivps costs ~10 multiplies (softmax's store pass, dividing by the row sum: its kernel 484 -> 441 us).
  reciprocalDivision: true,
};
