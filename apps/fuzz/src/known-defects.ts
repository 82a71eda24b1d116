import type { Failure } from './campaign.js';

/**
 * Open defects that other work is fixing, listed so a campaign still runs (and prints how often it
 * meets each) instead of being skipped. Each entry names its issue and owner; remove it when the fix
 * lands, and the campaign enforces the rule again.
 */
export interface KnownDefect {
  id: string;
  issue: string;
  owner: string;
  /** Campaigns it applies to (prefix match on the campaign name). */
  campaigns: string[];
  matches(failure: Failure): boolean;
}

const detail = (pattern: RegExp) => (f: Failure) => pattern.test(f.detail);

export const KNOWN_DEFECTS: KnownDefect[] = [
  {
    id: 'js-matmul-float64-accumulation',
    issue: '#18 item 10: js matmul adds float32 products in float64, so an f32 overflow to Inf is lost',
    owner: 'kanalysis',
    campaigns: ['differential:js'],
    // A NaN (Inf - Inf in float32) that float64 accumulation never produced.
    matches: (f) => f.category === 'mismatch' && everyDifference(f.detail, (_got, want) => want === 'NaN'),
  },
  {
    id: 'wgsl-ieee-special-values',
    issue:
      '#24 item 9: wgsl drops -0 (pad value, selected -0 constants) and loses NaN next to constant zeros',
    owner: 'wgsl',
    campaigns: ['differential:wgsl'],
    // Only mismatches where every listed difference involves NaN, an infinity or a signed zero.
    matches: (f) =>
      f.category === 'mismatch' &&
      everyDifference(f.detail, (got, want) => SPECIAL.has(got) || SPECIAL.has(want)),
  },
  {
    id: 'wgsl-empty-shape-index',
    issue: '#24 item 9 / #18 item 10: size-0 dims make wgsl emit out-of-range constant indices',
    owner: 'wgsl',
    campaigns: ['differential:wgsl'],
    matches: detail(/WGSL compile error .*(index -\d+ out of bounds|integer division by zero)/),
  },
  {
    id: 'c-huge-slot-allocation',
    issue: '#18 item 8 (found by fuzz): backend-c compile() allocates a 2^40-byte slot, RangeError escapes',
    owner: 'cbridge',
    campaigns: ['compile:c'],
    matches: (f) =>
      f.category === 'untyped-error' &&
      /at slots\.\d+\.bytes: RangeError: (Array buffer allocation failed|Invalid)/.test(f.detail),
  },
  {
    id: 'wasm-empty-matmul-crash',
    issue: '#18 item 9 (found by fuzz): a K=0 matmul traps in wasm (memory access out of bounds)',
    owner: 'wasm',
    campaigns: ['differential:wasm'],
    matches: detail(/RuntimeError: memory access out of bounds/),
  },
];

/** PARADOX_FUZZ_NO_GATES=1 reports every failure (to check whether a listed defect is fixed). */
export function matchKnownDefect(campaign: string, failure: Failure): string | undefined {
  if (process.env.PARADOX_FUZZ_NO_GATES === '1') return undefined;
  return KNOWN_DEFECTS.find((d) => d.campaigns.some((c) => campaign.startsWith(c)) && d.matches(failure))?.id;
}

const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '0', '-0']);

/** Whether every "[i] got A, expected B" pair listed in a mismatch satisfies `test`. */
function everyDifference(detail: string, test: (got: string, want: string) => boolean): boolean {
  const pairs = [...detail.matchAll(/got ([^\s,;]+), expected ([^\s,;]+)/g)];
  return pairs.length > 0 && pairs.every(([, got, want]) => test(got!, want!));
}
