import { matchKnownDefect } from './known-defects.js';

/**
 * What a campaign counts. A failure is one of: an untyped error escaped, a document took longer
 * than the time bound (a hang), an invalid-by-construction document was accepted, text from the
 * document reached generated source, Object.prototype was polluted, or (differential campaigns)
 * a backend disagreed with the reference interpreter or failed on a valid program.
 */
export type FailureCategory =
  | 'untyped-error'
  | 'hang'
  | 'accepted-invalid'
  | 'injection'
  | 'prototype-pollution'
  | 'mismatch'
  | 'valid-rejected';

export interface Failure {
  category: FailureCategory;
  /** Document or program index within the campaign (with the seed, it replays the case). */
  index: number;
  detail: string;
}

export interface CampaignResult {
  campaign: string;
  seed: number;
  /** Documents (or programs) tried. */
  count: number;
  accepted: number;
  rejected: number;
  seconds: number;
  failures: Failure[];
  /** Failures that match a listed known defect (id -> count); reported, not failing. */
  known: Record<string, number>;
  /** Failures beyond this many are counted, not kept. */
  failureCount: number;
}

const KEEP = 20;

export class CampaignRecorder {
  readonly result: CampaignResult;
  private readonly started = performance.now();

  constructor(campaign: string, seed: number) {
    this.result = {
      campaign,
      seed,
      count: 0,
      accepted: 0,
      rejected: 0,
      seconds: 0,
      failures: [],
      known: {},
      failureCount: 0,
    };
  }

  fail(category: FailureCategory, index: number, detail: string): void {
    const failure: Failure = { category, index, detail };
    const known = matchKnownDefect(this.result.campaign, failure);
    if (known) {
      this.result.known[known] = (this.result.known[known] ?? 0) + 1;
      return;
    }
    this.result.failureCount++;
    if (this.result.failures.length < KEEP) this.result.failures.push(failure);
  }

  finish(): CampaignResult {
    this.result.seconds = (performance.now() - this.started) / 1000;
    return this.result;
  }
}

/** Rejects when `work` takes longer than `ms` (the document is then reported as a hang). */
export async function withinTime<T>(
  work: () => T | Promise<T>,
  ms: number,
): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(ms)), ms);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(work), timeout]);
    const took = performance.now() - start;
    // A synchronous call cannot be interrupted; one that overran still counts as a hang.
    if (took > ms) throw new HangError(ms);
    return { value, ms: took };
  } finally {
    clearTimeout(timer);
  }
}

export class HangError extends Error {
  constructor(readonly ms: number) {
    super(`took longer than ${ms} ms`);
  }
}

/** The per-document seed: every document of a campaign replays from (campaign seed, index). */
export function documentSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) + Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}

export function formatResult(r: CampaignResult): string {
  const known = Object.entries(r.known)
    .map(([id, n]) => `${id}: ${n}`)
    .join(', ');
  const lines = [
    `[fuzz] ${r.campaign}: ${r.count} documents, seed ${r.seed}, ${r.seconds.toFixed(1)} s: ` +
      `${r.accepted} accepted, ${r.rejected} rejected with typed errors, ${r.failureCount} failures` +
      (known ? `; known defects (gated, see apps/fuzz/src/known-defects.ts): ${known}` : ''),
  ];
  for (const f of r.failures) lines.push(`  - ${f.category} at #${f.index}: ${f.detail}`);
  return lines.join('\n');
}
