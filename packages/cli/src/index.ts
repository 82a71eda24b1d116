// @paradox/cli: paradox-opt as a library (the bin is bin/paradox-opt.js).

export { type CliOptions, parseCliArgs, USAGE } from './args.js';
export {
  type EmitInput,
  type EmitOptions,
  type Emitter,
  getEmitter,
  listEmitters,
  registerEmitter,
} from './emitters.js';
export { EmitError, InputError, UsageError } from './errors.js';
export {
  type CliIO,
  EXIT_INPUT_ERROR,
  EXIT_INTERNAL_ERROR,
  EXIT_OK,
  EXIT_PASS_FAILURE,
  main,
} from './main.js';
export { type LoadedInput, readInput } from './read-input.js';
