import '@paradox/backend-js';
import { interpret } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  dropout,
  foldIn,
  normal,
  prngKey,
  splitKey,
  type Tensor,
  TensorArgumentError,
  trace,
  uniform,
} from '../src/index.js';

// An independent plain-JS statement of the hash (u32 arithmetic through Math.imul and floor division),
// written from the definition in src/prng.ts's comment: the tensors must give exactly these bits.
const div = (x: number, d: number) => Math.floor(x / d) | 0;
function mixRef(x: number): number {
  let v = (x + div(x, 65536)) | 0;
  v = Math.imul(v, 0x7feb352d);
  v = (v + div(v, 32768)) | 0;
  v = Math.imul(v, 0x846ca68b | 0);
  return (v + div(v, 65536)) | 0;
}
const fmod = (a: number, m: number) => ((a % m) + m) % m;
const rotate16 = (v: number) => (fmod(div(v, 65536), 65536) + Math.imul(v, 65536)) | 0;
function hashRef(counter: number, key: number): number {
  const k = (Math.imul(mixRef(key), 2) + 1) | 0;
  const y = Math.imul(counter + 1, k);
  const z = (y + k) | 0;
  let v = rotate16((Math.imul(y, y) + y) | 0);
  v = rotate16((Math.imul(v, v) + z) | 0);
  v = rotate16((Math.imul(v, v) + y) | 0);
  return mixRef((Math.imul(v, v) + z) | 0);
}
function uniformRef(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => fmod(div(hashRef(i, seed), 256), 1 << 24) * 2 ** -24);
}

describe('PRNG keys', () => {
  it('uniform gives exactly the reference bits, eagerly and through the interpreter', () => {
    const want = uniformRef(1234, 257);
    expect(Array.from(uniform(prngKey(1234), [257]).dataSync())).toEqual(want);
    const graph = trace((k: Tensor) => uniform(k, [257]), prngKey(0));
    const got = interpret(graph, [Int32Array.of(1234)])[0]!.data;
    expect(Array.from(got)).toEqual(want);
  });

  it('is uniform on [0, 1): mean, variance, 16-bin counts, no lag-1 correlation', () => {
    const n = 1 << 16;
    const u = uniform(prngKey(7), [n]).dataSync();
    let sum = 0;
    let sq = 0;
    let lag = 0;
    const bins = new Array(16).fill(0);
    u.forEach((v, i) => {
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
      sq += v * v;
      if (i > 0) lag += (v - 0.5) * (u[i - 1]! - 0.5);
      bins[Math.floor(v * 16)]++;
    });
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(Math.abs(lag / n / (1 / 12))).toBeLessThan(0.02);
    // Chi-square with 15 degrees of freedom: 37.7 is its 0.1% quantile.
    const chi = bins.reduce((s, c) => s + (c - n / 16) ** 2 / (n / 16), 0);
    expect(chi).toBeLessThan(37.7);
  });

  it('split and foldIn give distinct, uncorrelated streams', () => {
    const key = prngKey(42);
    const keys = [...splitKey(key, 4), foldIn(key, 0), foldIn(key, 1), foldIn(key, prngKey(1)), key];
    const values = keys.map((k) => k.dataSync()[0]!);
    expect(new Set(values.slice(0, 6)).size).toBe(6);
    expect(values[6]).toBe(values[5]); // foldIn with a tensor equals foldIn with the same number
    const n = 4096;
    const streams = keys.slice(0, 6).map((k) => uniform(k, [n]).dataSync());
    for (let a = 0; a < streams.length; a++) {
      for (let b = a + 1; b < streams.length; b++) {
        let c = 0;
        for (let i = 0; i < n; i++) c += (streams[a]![i]! - 0.5) * (streams[b]![i]! - 0.5);
        expect(Math.abs(c / n / (1 / 12))).toBeLessThan(0.06); // 1/sqrt(n) = 0.016
      }
    }
  });

  it('normal has mean 0 and variance 1; bernoulli has rate p', () => {
    const n = 1 << 15;
    const z = normal(prngKey(3), [n]).dataSync();
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
    const ones = bernoulli(prngKey(5), 0.3, [n])
      .dataSync()
      .reduce((a, b) => a + b, 0);
    expect(ones / n).toBeCloseTo(0.3, 1);
  });

  it('dropout zeroes about `rate` of the elements and scales the rest', () => {
    const n = 1 << 14;
    const x = uniform(prngKey(9), [n]).add(1);
    const xs = x.dataSync();
    const y = dropout(x, 0.25, prngKey(11)).dataSync();
    let zeros = 0;
    y.forEach((v, i) => {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(xs[i]! / 0.75, 5);
    });
    expect(zeros / n).toBeCloseTo(0.25, 1);
    expect(dropout(x, 0, prngKey(1))).toBe(x);
  });

  it('rejects bad keys and rates with TensorArgumentError', () => {
    expect(() => uniform(prngKey(1).cast('float32'), [2])).toThrow(TensorArgumentError);
    expect(() => splitKey(prngKey(1), 0)).toThrow(/n 0 must be a positive integer/);
    expect(() => dropout(prngKey(1).cast('float32'), 1, prngKey(1))).toThrow(/rate 1 must be in \[0, 1\)/);
    expect(() => prngKey(1.5)).toThrow(/seed 1.5/);
    expect(() => foldIn(prngKey(1), prngKey(2).cast('float32'))).toThrow(/data must be/);
  });
});
