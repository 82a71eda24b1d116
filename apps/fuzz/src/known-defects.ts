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

export const KNOWN_DEFECTS: KnownDefect[] = [];

/** PARADOX_FUZZ_NO_GATES=1 reports every failure (to check whether a listed defect is fixed). */
export function matchKnownDefect(
  campaign: string,
  failure: Failure,
  defects: readonly KnownDefect[] = KNOWN_DEFECTS,
): string | undefined {
  if (process.env.PARADOX_FUZZ_NO_GATES === '1') return undefined;
  return defects.find((d) => d.campaigns.some((c) => campaign.startsWith(c)) && d.matches(failure))?.id;
}

/** Whether every "[i] got A, expected B" pair listed in a mismatch satisfies `test`. */
export function everyDifference(detail: string, test: (got: string, want: string) => boolean): boolean {
  const pairs = [...detail.matchAll(/got ([^\s,;]+), expected ([^\s,;]+)/g)];
  return pairs.length > 0 && pairs.every(([, got, want]) => test(got!, want!));
}
