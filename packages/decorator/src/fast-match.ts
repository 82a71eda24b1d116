import type { DType } from '@paradox/ir';
import { Tensor } from '@paradox/tracer';

/**
 * A check, specialized to one cached signature, that a call's arguments still match it: no pytree
 * flattening, no key string, no allocation. It exists for the common call shape (every argument a
 * tensor or a primitive / declared-static value); anything else takes the general keyed path.
 */
export interface FastMatch {
  matches(args: readonly unknown[]): boolean;
  /** Argument position of every tensor leaf (leaf order = argument order on this path). */
  readonly leafPositions: readonly number[];
}

const isPrimitive = (x: unknown): boolean => x === null || (typeof x !== 'object' && typeof x !== 'function');

const sameShape = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Builds the check from the arguments of the call that compiled the entry, or undefined when ineligible. */
export function fastMatchFor(
  args: readonly unknown[],
  staticArgs: ReadonlySet<number>,
): FastMatch | undefined {
  const n = args.length;
  const isTensor: boolean[] = [];
  const dtypes: (DType | undefined)[] = [];
  const shapes: (readonly number[])[] = [];
  const firstSame: number[] = [];
  const leafPositions: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = args[i];
    const tensor = a instanceof Tensor && !staticArgs.has(i);
    if (!tensor && !isPrimitive(a) && !staticArgs.has(i)) return undefined;
    isTensor.push(tensor);
    dtypes.push(tensor ? (a as Tensor).dtype : undefined);
    shapes.push(tensor ? (a as Tensor).shape : []);
    let first = i;
    if (tensor) {
      for (let j = 0; j < i; j++)
        if (isTensor[j] && args[j] === a) {
          first = j;
          break;
        }
      leafPositions.push(i);
    }
    firstSame.push(first);
  }
  if (leafPositions.length > 16) return undefined; // the aliasing scan below is quadratic
  const values = args.slice();
  return {
    leafPositions,
    matches(call) {
      if (call.length !== n) return false;
      for (let i = 0; i < n; i++) {
        const a = call[i];
        if (!isTensor[i]) {
          if (!Object.is(a, values[i])) return false;
          continue;
        }
        if (!(a instanceof Tensor) || a.traceContext !== undefined) return false;
        if (a.dtype !== dtypes[i] || !sameShape(a.shape, shapes[i]!)) return false;
        let first = i;
        for (let j = 0; j < i; j++)
          if (isTensor[j] && call[j] === a) {
            first = j;
            break;
          }
        if (first !== firstSame[i]) return false;
      }
      return true;
    },
  };
}
