import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli.js';

describe('parseArgs', () => {
  it('defaults: full run, limits on, Paradox jit (js) as the baseline', () => {
    expect(parseArgs([])).toEqual({ quick: false, baseline: 'paradox-jit-js', limits: true, help: false });
  });

  it('reads --quick, --only, --contenders, --baseline, --no-limits, --out (both spellings)', () => {
    const o = parseArgs([
      '--quick',
      '--only',
      'W1,W4a',
      '--contenders=ort,tfjs-wasm',
      '--baseline',
      'ort-1t',
      '--no-limits',
      '--out=/tmp/x',
    ]);
    expect(o).toEqual({
      quick: true,
      only: ['W1', 'W4a'],
      contenders: ['ort', 'tfjs-wasm'],
      baseline: 'ort-1t',
      limits: false,
      outDir: '/tmp/x',
      help: false,
    });
  });

  it('rejects unknown options and unknown workloads with a message naming them', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseArgs(['--only', 'W9'])).toThrow(/unknown workload W9/);
    expect(() => parseArgs(['--only'])).toThrow(/--only needs/);
  });
});
