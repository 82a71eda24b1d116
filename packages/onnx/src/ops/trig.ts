import type { NodeContext, OpMapping } from '../context.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, full, where, withScalar } from './build.js';

/**
 * Inverse trigonometric and hyperbolic functions from the graph's primitives: the hyperbolic ones
 * by their logarithmic definitions, atan by Cephes' atanf (range reduction to |x| <= tan(pi/8) and a
 * degree-9 odd polynomial, about 1 ulp in float32), asin and acos through atan.
 */

function atan(e: Emitter, x: Val): Val {
  const ax = e.op('abs', [x]);
  const big = withScalar(e, 'gt', ax, 2.414213562373095);
  const mid = binary(e, 'and', withScalar(e, 'gt', ax, 0.414213562373095), e.op('not', [big]));
  // Reduced argument and offset: -1/x (offset pi/2), (x-1)/(x+1) (offset pi/4), or x itself.
  const reduced = where(
    e,
    big,
    binary(e, 'div', full(e, -1, ax), ax),
    where(e, mid, binary(e, 'div', withScalar(e, 'sub', ax, 1), withScalar(e, 'add', ax, 1)), ax),
  );
  const offset = where(
    e,
    big,
    full(e, Math.PI / 2, ax),
    where(e, mid, full(e, Math.PI / 4, ax), full(e, 0, ax)),
  );
  const z = binary(e, 'mul', reduced, reduced);
  let p = withScalar(e, 'sub', withScalar(e, 'mul', z, 8.05374449538e-2), 1.38776856032e-1);
  p = withScalar(e, 'add', binary(e, 'mul', p, z), 1.99777106478e-1);
  p = withScalar(e, 'sub', binary(e, 'mul', p, z), 3.33329491539e-1);
  const y = binary(
    e,
    'add',
    offset,
    binary(e, 'add', binary(e, 'mul', binary(e, 'mul', p, z), reduced), reduced),
  );
  return binary(e, 'mul', e.op('sign', [x]), y);
}

const asin = (e: Emitter, x: Val): Val => {
  const c = e.op('sqrt', [binary(e, 'sub', full(e, 1, x), binary(e, 'mul', x, x))]);
  // atan(x / sqrt(1 - x^2)); at |x| = 1 the quotient is +-Inf and atan gives +-pi/2.
  return atan(e, binary(e, 'div', x, c));
};

const unary =
  (f: (e: Emitter, x: Val) => Val): OpMapping =>
  (ctx: NodeContext) =>
    f(ctx.e, ctx.input(0));

export const TRIG_OPS: Record<string, OpMapping> = {
  Atan: unary(atan),
  Asin: unary(asin),
  Acos: unary((e, x) => binary(e, 'sub', full(e, Math.PI / 2, x), asin(e, x))),
  // sign(x) log(|x| + sqrt(x^2 + 1)): the odd form, no cancellation for large negative x.
  Asinh: unary((e, x) => {
    const ax = e.op('abs', [x]);
    const log = e.op('log', [
      binary(e, 'add', ax, e.op('sqrt', [withScalar(e, 'add', binary(e, 'mul', x, x), 1)])),
    ]);
    return binary(e, 'mul', e.op('sign', [x]), log);
  }),
  Acosh: unary((e, x) =>
    e.op('log', [binary(e, 'add', x, e.op('sqrt', [withScalar(e, 'sub', binary(e, 'mul', x, x), 1)]))]),
  ),
  Atanh: unary((e, x) =>
    withScalar(
      e,
      'mul',
      e.op('log', [binary(e, 'div', withScalar(e, 'add', x, 1), binary(e, 'sub', full(e, 1, x), x))]),
      0.5,
    ),
  ),
};
