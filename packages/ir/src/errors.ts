import { DTYPE_SHORT } from './dtype.js';
import type { TensorType } from './graph.js';

/**
 * Every failure the IR reports is one of these classes, so callers can branch on `instanceof`
 * and users read a message that names what is wrong and where.
 */
export class IrError extends Error {
  override name = 'IrError';
}

/** Renders a type the way the text form does: f32[4,8]. Tolerates malformed input (errors must not crash). */
export function formatType(t: TensorType | undefined): string {
  if (!t || !Array.isArray(t.shape)) return '<invalid type>';
  return `${DTYPE_SHORT[t.dtype] ?? String(t.dtype)}[${t.shape.join(',')}]`;
}

/** A type rule rejected its operands. Names the op, every operand type, and why. */
export class TypeRuleError extends IrError {
  override name = 'TypeRuleError';
  constructor(
    readonly op: string,
    readonly operands: TensorType[],
    readonly reason: string,
  ) {
    super(`${op}(${operands.map(formatType).join(', ')}): ${reason}`);
  }
}

/** Operand shapes are incompatible (broadcasting, matmul inner dims, reshape sizes, out-of-range axes). */
export class ShapeError extends TypeRuleError {
  override name = 'ShapeError';
}

/** Operand dtypes are not accepted by the op (e.g. exp on int32, and on float32). */
export class DTypeError extends TypeRuleError {
  override name = 'DTypeError';
}

/** The op is not in the registry. */
export class UnknownOpError extends IrError {
  override name = 'UnknownOpError';
  constructor(readonly op: string) {
    super(`unknown op '${op}'`);
  }
}

/** An op's attributes failed its schema. Names the op and the offending field. */
export class AttrError extends IrError {
  override name = 'AttrError';
  constructor(
    readonly op: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${op}: attribute '${field}': ${reason}`);
  }
}

/** Wrong number of inputs for an op. */
export class ArityError extends IrError {
  override name = 'ArityError';
  constructor(
    readonly op: string,
    readonly expected: number | 'variadic',
    readonly got: number,
  ) {
    super(`${op}: expected ${expected === 'variadic' ? 'at least 1' : expected} input(s), got ${got}`);
  }
}

/** registerOp was given a name that is taken or invalid. */
export class OpRegistrationError extends IrError {
  override name = 'OpRegistrationError';
}

/** A graph or kernel program breaks an invariant. `excerpt` shows the printed IR around the fault. */
export class VerifyError extends IrError {
  override name = 'VerifyError';
  constructor(
    readonly reason: string,
    readonly where?: string,
    readonly excerpt?: string,
  ) {
    super(`${where ? `${where}: ` : ''}${reason}${excerpt ? `\n${excerpt}` : ''}`);
  }
}

/** The text form could not be parsed. Line and column are 1-based. */
export class ParseError extends IrError {
  override name = 'ParseError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly sourceLine?: string,
  ) {
    super(
      `${line}:${column}: ${reason}` +
        (sourceLine !== undefined ? `\n  ${sourceLine}\n  ${' '.repeat(Math.max(0, column - 1))}^` : ''),
    );
  }
}

/** A serialized document is malformed (bad JSON, wrong field types, bad base64...). `path` locates the field. */
export class SerializationError extends IrError {
  override name = 'SerializationError';
  constructor(
    readonly reason: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }
}

/** A document's irVersion has a major this build cannot read (and no migration covers). */
export class VersionError extends IrError {
  override name = 'VersionError';
  constructor(
    readonly found: string,
    readonly supported: string,
    detail?: string,
  ) {
    super(
      `IR version ${found} is not supported by this build (IR ${supported})${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** The reference interpreter was given inputs that do not match the graph. */
export class InterpreterError extends IrError {
  override name = 'InterpreterError';
}
