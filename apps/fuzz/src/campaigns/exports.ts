import '@paradox/backend-js';
import { jit } from '@paradox/jit';
import { type Tensor, tensor, where } from '@paradox/tracer';

/** Valid `paradox-compiled` exports of a few jit functions (pytrees, statics, several outputs). */
export function baseExports(): string[] {
  const x = tensor([
    [1, -2, 3],
    [-4, 5, Number.NaN],
  ]);
  const w = tensor([[1], [0.5], [-1]]);
  const ints = tensor([7, -3, 2147483647], [3], 'int32');
  const fns: [(...args: never[]) => unknown, unknown[]][] = [
    [(a: Tensor, b: Tensor) => a.matmul(b).relu(), [x, w]],
    [(p: { w: Tensor; x: Tensor }, s: number) => [p.x.matmul(p.w).mul(s), p.x.sum(1, true)], [{ w, x }, 2]],
    [
      (a: Tensor) => ({
        top: a.max(0),
        arg: a.argmax(1),
        pad: a.pad(
          [
            [1, 0],
            [0, 2],
          ],
          Number.NaN,
        ),
      }),
      [x],
    ],
    [(i: Tensor) => [i.mul(65536), i.mod(tensor([0], [1], 'int32'))], [ints]],
    [(a: Tensor) => where(a.gt(0), a.exp(), a.neg()).transpose([1, 0]), [x]],
  ];
  return fns.map(([fn, args]) => {
    const f = jit(fn as (...a: unknown[]) => unknown);
    f(...args);
    return f.export();
  });
}
