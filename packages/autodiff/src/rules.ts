import { type Attrs, BUILTIN_OP_TABLE, hasOp } from '@paradox/ir';
import { DifferentiationArgumentError, NoDerivativeRuleError } from './errors.js';
import {
  type BuiltinRuleTable,
  type DerivativeRule,
  NON_DIFFERENTIABLE,
  type NonDifferentiable,
} from './rule-types.js';
import { binaryRules, unaryRules, whereRule } from './rules-elementwise.js';
import { indexingRules } from './rules-indexing.js';
import { movementRules } from './rules-movement.js';
import { reduceRules } from './rules-reduce.js';
import { windowRules } from './rules-window.js';

/** The derivative of every built-in op (typed over the op set, so a new op without a rule fails to compile). */
export const BUILTIN_RULES: BuiltinRuleTable = {
  ...unaryRules,
  ...binaryRules,
  where: whereRule,
  ...reduceRules,
  ...movementRules,
  ...indexingRules,
  ...windowRules,
  // Creation ops have no tensor operands (random draws from a seed attribute).
  constant: NON_DIFFERENTIABLE,
  full: NON_DIFFERENTIABLE,
  iota: NON_DIFFERENTIABLE,
  random: NON_DIFFERENTIABLE,
};

const extraRules = new Map<string, DerivativeRule | NonDifferentiable>();

/** Declares the derivative of an op registered outside the op set (`registerOp`). */
export function registerDerivative(op: string, rule: DerivativeRule | NonDifferentiable): void {
  if (op in BUILTIN_OP_TABLE)
    throw new DifferentiationArgumentError(
      'registerDerivative',
      `'${op}' is a built-in op; its rule is fixed`,
    );
  extraRules.set(op, rule);
}

export function derivativeRule(op: string): DerivativeRule<Attrs> | NonDifferentiable {
  const rule =
    (BUILTIN_RULES as Record<string, DerivativeRule<never> | NonDifferentiable>)[op] ?? extraRules.get(op);
  if (rule === undefined || !hasOp(op)) throw new NoDerivativeRuleError(op);
  return rule as DerivativeRule<Attrs> | NonDifferentiable;
}
