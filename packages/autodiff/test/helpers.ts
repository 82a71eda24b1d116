import { numel } from '@paradox/ir';
import { type Tensor, tensor } from '@paradox/tracer';
import { expect } from 'vitest';
import { grad, jvp } from '../src/index.js';

/** A deterministic stream in [lo, hi) (tests must not depend on Math.random). */
export function seeded(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0 || 1;
  return (lo = -1, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  };
}

export interface Arg {
  shape: number[];
  values: number[];
}

/** Random values in [lo, hi), at least 0.1 away from the `avoid` points (kinks, poles). */
export function arg(shape: number[], seed: number, lo = -2, hi = 2, avoid: number[] = []): Arg {
  const next = seeded(seed);
  const values = Array.from({ length: numel(shape) }, () => {
    for (;;) {
      const v = next(lo, hi);
      if (avoid.every((a) => Math.abs(v - a) > 0.1)) return v;
    }
  });
  return { shape, values };
}

const toTensors = (args: readonly Arg[]): Tensor[] => args.map((a) => tensor(a.values, a.shape));

/** Reduces any result to a scalar with fixed weights, so every output element's gradient counts. */
function scalarize(f: (...xs: Tensor[]) => Tensor, seed: number): (...xs: Tensor[]) => Tensor {
  return (...xs) => {
    const y = f(...xs);
    if (y.size === 1) return y.reshape([]);
    const next = seeded(seed);
    const w = tensor(
      Array.from({ length: y.size }, () => next(0.5, 1.5)),
      y.shape,
    );
    return y.mul(w).sum();
  };
}

const value = (t: Tensor): number => t.dataSync()[0]!;
const close = (actual: number, expected: number, tol: number, what: string) => {
  const err = Math.abs(actual - expected);
  if (!(err <= tol * (1 + Math.abs(expected)))) {
    expect.fail(`${what}: autodiff ${actual}, finite difference ${expected} (|diff| ${err})`);
  }
};

/**
 * Checks grad (every argument) against central finite differences in float32, and the JVP along a
 * random direction against the gradient's inner product with it (and the directional difference).
 */
export function checkDerivatives(
  f: (...xs: Tensor[]) => Tensor,
  args: readonly Arg[],
  { h = 1e-2, tol = 5e-3, seed = 7 } = {},
): void {
  const loss = scalarize(f, seed);
  const xs = toTensors(args);
  const grads = grad(loss, { argnums: args.map((_, i) => i) })(...xs) as Tensor[];
  const at = (i: number, j: number, delta: number) =>
    value(
      loss(
        ...args.map((a, k) => {
          const v = [...a.values];
          if (k === i) v[j]! += delta;
          return tensor(v, a.shape);
        }),
      ),
    );
  args.forEach((a, i) => {
    expect([...grads[i]!.shape]).toEqual(a.shape);
    const g = grads[i]!.dataSync();
    a.values.forEach((_, j) => {
      close(g[j]!, (at(i, j, h) - at(i, j, -h)) / (2 * h), tol, `d/dx${i}[${j}]`);
    });
  });
  const next = seeded(seed + 1);
  const dirs = args.map((a) => a.values.map(() => next()));
  const [, dy] = jvp(
    loss,
    xs,
    dirs.map((d, i) => tensor(d, args[i]!.shape)),
  ) as [Tensor, Tensor];
  const inner = grads.reduce(
    (s, g, i) => s + Array.from(g.dataSync()).reduce((t, v, j) => t + v * dirs[i]![j]!, 0),
    0,
  );
  close(value(dy), inner, tol, 'jvp vs <grad, direction>');
  const shifted = (sign: number) =>
    value(
      loss(
        ...args.map((a, i) =>
          tensor(
            a.values.map((v, j) => v + sign * h * dirs[i]![j]!),
            a.shape,
          ),
        ),
      ),
    );
  close(value(dy), (shifted(1) - shifted(-1)) / (2 * h), tol, 'jvp vs directional difference');
}

export function expectValues(t: Tensor, expected: number[], digits = 5): void {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i]!, digits);
  });
}
