/** Base class of every error this package throws. */
export class OptimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A hyperparameter out of its range (a negative learning rate, beta outside [0, 1), ...), named. */
export class OptimizerConfigError extends OptimError {
  constructor(optimizer: string, detail: string) {
    super(`${optimizer}: ${detail}`);
  }
}

/** Gradients, parameters and state that do not line up (structure, shape or dtype), with the leaf named. */
export class OptimizerArgumentError extends OptimError {
  constructor(where: string, detail: string) {
    super(`${where}: ${detail}`);
  }
}
