import type { DType, TypedArray } from './dtype.js';
import { VerifyError } from './errors.js';
import { castValue } from './interpreter/numerics.js';
import type { KernelProgram } from './kernel.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const spell = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/**
 * The literal rule, one for every layer. A value written for an int32 or bool tensor (tensor() data,
 * scalar operands, `full`/`pad`/`constant` values) is converted exactly as `cast` converts: int32
 * truncates toward zero and saturates (3e9 -> 2147483647, NaN -> 0), bool is 1 for anything but 0.
 * Float literals are kept (backends round them to the dtype). The IR itself holds converted values
 * only: the verifiers reject an int32/bool literal that is not already in its dtype, so no backend
 * ever picks its own conversion (wrap, saturate, or refuse).
 */
export function literalOf(value: number, dtype: DType): number {
  return dtype === 'int32' || dtype === 'bool' ? castValue(value, dtype) : value;
}

/** Why `value` is not a literal the IR may hold for `dtype`, or undefined when it is. */
export function literalProblem(value: unknown, dtype: DType): string | undefined {
  if (typeof value !== 'number') return `${typeof value} is not a number`;
  if (dtype === 'int32' && !(Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX)) {
    return `${spell(value)} is not an int32 value (an integer in [${INT32_MIN}, ${INT32_MAX}])`;
  }
  if (dtype === 'bool' && value !== 0 && value !== 1) return `${spell(value)} is not a bool value (0 or 1)`;
  return undefined;
}

/** Index of the first element of a bool buffer that is not 0 or 1 (typed arrays keep other dtypes in range). */
export function badBoolElement(dtype: DType, data: TypedArray): number {
  if (dtype !== 'bool') return -1;
  return data.findIndex((v) => v !== 0 && v !== 1);
}

/**
 * Checks every literal of a kernel program against its dtype: const exprs, the `other` value of
 * guarded loads, and bool constant buffers. Throws VerifyError naming the kernel, expr and value.
 */
export function verifyProgramLiterals(program: KernelProgram): void {
  for (const b of program.buffers) {
    const data = b.kind === 'const' && b.constant !== undefined ? program.constants[b.constant] : undefined;
    const bad = data ? badBoolElement(b.dtype, data) : -1;
    if (bad >= 0)
      throw new VerifyError(`element ${bad} is ${data![bad]}, not a bool value (0 or 1)`, `buffer b${b.id}`);
  }
  for (const k of program.kernels) {
    k.exprs.forEach((e, i) => {
      if (e.op !== 'const' && !(e.op === 'load' && e.other !== undefined)) return;
      const problem = literalProblem(e.op === 'const' ? e.value : e.other, e.dtype);
      if (problem)
        throw new VerifyError(
          `${e.op === 'const' ? 'constant' : "guarded load's other value"} ${problem}`,
          `kernel ${k.name} e${i}`,
        );
    });
  }
}
