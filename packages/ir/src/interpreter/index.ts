export { evaluateNode, type InterpreterInput, type InterpretOptions, interpret } from './interpret.js';
export { castValue, evalBinary, evalUnary, roundToFloat16 } from './numerics.js';
export { EVAL_RULES, type EvalRule } from './rules.js';
