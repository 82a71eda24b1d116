/** Bad command-line usage (unknown flag, missing value, missing input file argument). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The input could not be read (missing file, unreadable, empty). */
export class InputError extends Error {
  override name = 'InputError';
}

/** An --emit target could not produce output (unknown emitter, missing backend). */
export class EmitError extends Error {
  override name = 'EmitError';
}
