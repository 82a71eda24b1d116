export { evaluateNode, type InterpreterInput, type InterpretOptions, interpret } from './interpret.js';
export { castValue, evalBinary, evalUnary, roundToFloat16, SCALAR_SEMANTICS } from './numerics.js';
export { EVAL_RULES, type EvalRule } from './rules.js';
