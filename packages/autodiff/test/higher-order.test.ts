import { interpreterExecutor, setEagerExecutor, type Tensor, tensor } from '@paradox/tracer';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DifferentiationArgumentError,
  grad,
  jvp,
  NonScalarOutputError,
  stopGradient,
  valueAndGrad,
  vjp,
} from '../src/index.js';
import { expectValues } from './helpers.js';

beforeAll(() => setEagerExecutor(interpreterExecutor));

const xs = [-1.5, -0.25, 0.5, 2];
const sum = (f: (x: Tensor) => Tensor) => (x: Tensor) => f(x).sum();
/** Elementwise second derivative via grad(grad(sum f)). */
const second = (f: (x: Tensor) => Tensor) =>
  grad(sum(grad(sum(f)) as (x: Tensor) => Tensor))(tensor(xs)) as Tensor;

describe('grad of grad (hand-computed second derivatives)', () => {
  it('x^3 -> 6x', () =>
    expectValues(
      second((x) => x.mul(x).mul(x)),
      xs.map((v) => 6 * v),
      4,
    ));
  it('sin x -> -sin x', () =>
    expectValues(
      second((x) => x.sin()),
      xs.map((v) => -Math.sin(v)),
    ));
  it('x exp(x) -> (2 + x) exp(x)', () =>
    expectValues(
      second((x) => x.mul(x.exp())),
      xs.map((v) => (2 + v) * Math.exp(v)),
      4,
    ));
  it('tanh x -> -2 tanh x (1 - tanh^2 x)', () => {
    expectValues(
      second((x) => x.tanh()),
      xs.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
      4,
    );
  });
  it('third order: d^3/dx^3 x^4 = 24x', () => {
    const f = sum((x) => x.mul(x).mul(x).mul(x));
    const g3 = grad(sum(grad(sum(grad(f) as (x: Tensor) => Tensor)) as (x: Tensor) => Tensor))(
      tensor(xs),
    ) as Tensor;
    expectValues(
      g3,
      xs.map((v) => 24 * v),
      3,
    );
  });
  it('no perturbation confusion: d/dx [x * d/dy (x y) at y = x] = 2x', () => {
    const inner = (x: Tensor) => grad((y: Tensor) => x.mul(y).sum())(x) as Tensor;
    const g = grad((x: Tensor) => x.mul(inner(x)).sum())(tensor([3, -1])) as Tensor;
    expectValues(g, [6, -2]);
  });
  it("reverse over forward: grad of a jvp (d/dx of f'(x) v = f''(x) v)", () => {
    const g = grad((x: Tensor) =>
      (jvp((u: Tensor) => u.sin(), [x], [tensor([1, 1, 1, 1])])[1] as Tensor).sum(),
    )(tensor(xs)) as Tensor;
    expectValues(
      g,
      xs.map((v) => -Math.sin(v)),
    );
  });
  it('forward over reverse: a Hessian-vector product (jvp of grad)', () => {
    const f = (x: Tensor) => x.mul(x).mul(x).sum().add(x.prod());
    const x = tensor([1, 2, 3]);
    const v = tensor([1, 0, -1]);
    const [, hv] = jvp(grad(f) as (x: Tensor) => Tensor, [x], [v]) as [Tensor, Tensor];
    // H = diag(6x) + d^2 prod: [[6, 3, 2], [3, 12, 1], [2, 1, 18]]; H v = [4, 2, -16]
    expectValues(hv, [4, 2, -16], 4);
  });
});

describe('API', () => {
  it('pytree arguments and results (vjp with a cotangent per output leaf)', () => {
    const f = (p: { a: Tensor; b: [Tensor] }) => ({ s: p.a.mul(p.b[0]), t: [p.a.exp()] });
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const [out, back] = vjp(f, { a, b: [b] });
    expectValues(out.s, [3, 8]);
    const [g] = back({ s: tensor([1, 1]), t: [tensor([1, 0])] }) as [{ a: Tensor; b: [Tensor] }];
    expectValues(g.a, [3 + Math.E, 4]);
    expectValues(g.b[0], [1, 2]);
  });
  it('valueAndGrad, argnums, and zero gradients for unused arguments', () => {
    const f = (x: Tensor, y: Tensor, _z: Tensor) => x.mul(y).sum();
    const [value, [gx, gz]] = valueAndGrad(f, { argnums: [0, 2] })(
      tensor([1, 2]),
      tensor([5, 7]),
      tensor([9]),
    ) as [Tensor, Tensor[]];
    expectValues(value, [19]);
    expectValues(gx!, [5, 7]);
    expectValues(gz!, [0]);
  });
  it('stopGradient blocks every level', () => {
    const g = grad((x: Tensor) => x.mul(stopGradient(x)).sum())(tensor([2, 3])) as Tensor;
    expectValues(g, [2, 3]);
    expectValues(
      second((x) => x.mul(x).mul(stopGradient(x))),
      xs.map((v) => 2 * v),
    );
  });
  it('typed errors for bad use', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(NonScalarOutputError);
    expect(() => grad((x: Tensor) => x.sum())(tensor([1, 2], [2], 'int32'))).toThrow(
      DifferentiationArgumentError,
    );
    expect(() => grad((x: Tensor) => x.sum(), { argnums: 3 })(tensor([1]))).toThrow(/argnums entry 3/);
    const [, back] = vjp((x: Tensor) => x.exp(), tensor([1, 2]));
    expect(() => back(tensor([1, 2, 3]))).toThrow(/cotangent leaf 0 is float32\[3\]/);
    // @ts-expect-error one tangent per primal (typed), checked at run time for untyped callers
    expect(() => jvp((x: Tensor) => x, [tensor([1])], [])).toThrow(DifferentiationArgumentError);
  });
});
