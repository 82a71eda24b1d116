// @paradox/autodiff public API.

export { grad, jvp, valueAndGrad, vjp } from './api.js';
export type { AnyFn, Argnums, Gradients, GradOptions, ScalarFn } from './api-types.js';
export {
  AutodiffError,
  DifferentiationArgumentError,
  NoDerivativeRuleError,
  NonScalarOutputError,
} from './errors.js';
export {
  type BuiltinRuleTable,
  type DerivativeRule,
  elementwise,
  type JvpRule,
  NON_DIFFERENTIABLE,
  type NonDifferentiable,
  type VjpRule,
} from './rule-types.js';
export { BUILTIN_RULES, derivativeRule, registerDerivative } from './rules.js';
export { stopGradient } from './stop-gradient.js';
