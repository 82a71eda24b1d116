import { mulberry32 } from '../rng.js';
import type { ChainOp } from '../types.js';

const SQUASH = ['tanh', 'sigmoid'] as const;
const FREE = ['mul', 'add', 'sub', 'relu', 'neg', 'abs', 'tanh', 'sigmoid'] as const;

/**
 * A chain of `n` elementwise ops, deterministic in `seed`. Values stay bounded: multipliers are in
 * [0.5, 1.5), offsets in [-0.5, 0.5), and a tanh or sigmoid comes at least every fourth op.
 */
export function makeChain(n: number, seed: number): ChainOp[] {
  const r = mulberry32(seed);
  const ops: ChainOp[] = [];
  let sinceSquash = 0;
  for (let i = 0; i < n; i++) {
    const name = sinceSquash >= 3 ? SQUASH[Math.floor(r() * 2)]! : FREE[Math.floor(r() * FREE.length)]!;
    sinceSquash = name === 'tanh' || name === 'sigmoid' ? 0 : sinceSquash + 1;
    if (name === 'mul') ops.push({ op: 'mul', c: round(0.5 + r()) });
    else if (name === 'add' || name === 'sub') ops.push({ op: name, c: round(r() - 0.5) });
    else ops.push({ op: name });
  }
  return ops;
}

/** Constants with few digits, exactly representable in float32 (so every contender sees the same number). */
const round = (x: number): number => Math.fround(Math.round(x * 1024) / 1024);

export function applyOp64(op: ChainOp, v: number): number {
  switch (op.op) {
    case 'mul':
      return v * op.c;
    case 'add':
      return v + op.c;
    case 'sub':
      return v - op.c;
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'relu':
      return v > 0 ? v : 0;
    case 'neg':
      return -v;
    case 'abs':
      return Math.abs(v);
  }
}

export function evalChain64(ops: readonly ChainOp[], x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let v = x[i]!;
    for (const op of ops) v = applyOp64(op, v);
    out[i] = v;
  }
  return out;
}

/** JS expression for one op applied to the variable `v` (numbers printed by the harness, never user text). */
export function jsOpExpr(op: ChainOp): string {
  switch (op.op) {
    case 'mul':
      return `v = v * ${op.c};`;
    case 'add':
      return `v = v + ${op.c};`;
    case 'sub':
      return `v = v - ${op.c};`;
    case 'tanh':
      return 'v = Math.tanh(v);';
    case 'sigmoid':
      return 'v = 1 / (1 + Math.exp(-v));';
    case 'relu':
      return 'v = v > 0 ? v : 0;';
    case 'neg':
      return 'v = -v;';
    case 'abs':
      return 'v = Math.abs(v);';
  }
}

/** What a person would write by hand for the chain: one loop, every op inlined, straight-line. */
export function fusedChainSource(ops: readonly ChainOp[]): string {
  return [
    'const n = x.length;',
    'for (let i = 0; i < n; i++) {',
    '  let v = x[i];',
    ...ops.map((op) => '  ' + jsOpExpr(op)),
    '  out[i] = v;',
    '}',
  ].join('\n');
}

export type FusedChain = (x: Float32Array, out: Float32Array) => void;

export function compileFusedChain(ops: readonly ChainOp[]): FusedChain {
  return new Function('x', 'out', fusedChainSource(ops)) as FusedChain;
}
