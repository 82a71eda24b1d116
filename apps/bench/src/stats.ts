/** Summary statistics of repeated timings (milliseconds). */
export interface Summary {
  /** Number of samples. */
  n: number;
  median: number;
  min: number;
  max: number;
  mean: number;
  /** Samples in the order they were taken. */
  samples: number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new Error(`summarize: non-finite sample ${x}`);
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return {
    n: samples.length,
    median: median(samples),
    min,
    max,
    mean: sum / samples.length,
    samples: [...samples],
  };
}

/** Ratio of a contender's time to the baseline's (>1: slower than the baseline). */
export function ratio(time: number | undefined, baseline: number | undefined): number | undefined {
  if (time === undefined || baseline === undefined || !(baseline > 0) || !Number.isFinite(time))
    return undefined;
  return time / baseline;
}

/** Outcome of checking a result against the reference. */
export interface Check {
  ok: boolean;
  /** Largest |got - ref| (Infinity when a NaN appears or the lengths differ). */
  maxAbsErr: number;
  /** Why the check failed, naming the first bad element. */
  reason?: string;
}

/** Every element must satisfy |got - ref| <= atol + rtol*|ref|; a NaN anywhere fails. */
export function compare(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: { atol: number; rtol: number },
): Check {
  if (got.length !== ref.length) {
    return {
      ok: false,
      maxAbsErr: Number.POSITIVE_INFINITY,
      reason: `length ${got.length}, want ${ref.length}`,
    };
  }
  let maxAbsErr = 0;
  let firstBad = -1;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const e = Math.abs(got[i]! - r);
    const err = Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
    if (err > maxAbsErr) maxAbsErr = err;
    if (firstBad < 0 && !(err <= tol.atol + tol.rtol * Math.abs(r))) firstBad = i;
  }
  if (firstBad < 0) return { ok: true, maxAbsErr };
  return { ok: false, maxAbsErr, reason: `element ${firstBad}: got ${got[firstBad]}, want ${ref[firstBad]}` };
}
