import { expect, it } from 'vitest';
import { evalUnary, InterpreterError, inferNodeType } from '../src/index.js';

// The scalar evaluator covers exactly the op/dtype pairs the type rules accept: a transcendental op
// on an int32 value is a typed error, not a silently computed number.
it('rejects the transcendental unary ops on int32 and bool, as the type rules do', () => {
  for (const fn of ['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid'] as const) {
    for (const dtype of ['int32', 'bool'] as const) {
      expect(() => inferNodeType(fn, [{ dtype, shape: [1] }], {})).toThrow();
      expect(() => evalUnary(fn, 1, dtype)).toThrow(InterpreterError);
    }
    expect(evalUnary(fn, 0.5, 'float32')).toBeCloseTo(
      {
        exp: Math.exp(0.5),
        log: Math.log(0.5),
        sqrt: Math.SQRT1_2,
        rsqrt: Math.SQRT2,
        sin: Math.sin(0.5),
        cos: Math.cos(0.5),
        tanh: Math.tanh(0.5),
        sigmoid: 1 / (1 + Math.exp(-0.5)),
      }[fn],
      6,
    );
  }
  expect(evalUnary('neg', 5, 'int32')).toBe(-5);
});
