/**
 * Float64 reference updates written from the papers' formulas (Kingma & Ba for Adam, Loshchilov &
 * Hutter for AdamW, torch.optim.SGD for momentum), on plain arrays.
 */

/** A deterministic stream in [lo, hi) (tests must not depend on Math.random). */
export function seeded(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0 || 1;
  return (lo = -1, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  };
}

export const values = (n: number, seed: number, lo = -1, hi = 1): number[] => {
  const next = seeded(seed);
  return Array.from({ length: n }, () => next(lo, hi));
};

export interface SgdRef {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/** Runs `grads.length` SGD steps on p from the given gradient sequence. */
export function sgdReference(p0: number[], grads: number[][], o: SgdRef): number[] {
  const p = [...p0];
  const v = p.map(() => 0);
  for (const g of grads) {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]! + o.weightDecay * p[i]!;
      v[i] = o.momentum * v[i]! + gi;
      const d = o.momentum === 0 ? gi : o.nesterov ? gi + o.momentum * v[i]! : v[i]!;
      p[i] = p[i]! - o.lr * d;
    }
  }
  return p;
}

export interface AdamRef {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export function adamReference(
  p0: number[],
  grads: number[][],
  o: AdamRef,
): { p: number[]; m: number[]; v: number[] } {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
      const mHat = m[i]! / (1 - o.beta1 ** t);
      const vHat = v[i]! / (1 - o.beta2 ** t);
      p[i] = p[i]! - o.lr * (mHat / (Math.sqrt(vHat) + o.epsilon) + o.weightDecay * p[i]!);
    }
  });
  return { p, m, v };
}
