/** Base class of every error this package throws. */
export class AutodiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An op with a differentiated operand has no derivative rule (a registered op without `registerDerivative`). */
export class NoDerivativeRuleError extends AutodiffError {
  constructor(readonly op: string) {
    super(`autodiff: op '${op}' has no derivative rule (register one with registerDerivative)`);
  }
}

/** grad/valueAndGrad need a function whose result is one float element. */
export class NonScalarOutputError extends AutodiffError {
  constructor(where: string, detail: string) {
    super(`${where}: the function must return a one-element float tensor; ${detail}`);
  }
}

/** A differentiated argument, a cotangent or a tangent is not what the function's values need. */
export class DifferentiationArgumentError extends AutodiffError {
  constructor(where: string, detail: string) {
    super(`${where}: ${detail}`);
  }
}
