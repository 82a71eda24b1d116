import { SeededRandom } from '@paradox/ir';
import { CampaignRecorder, type CampaignResult, documentSeed, HangError, withinTime } from '../campaign.js';
import type { Mutation } from '../mutate/json-mutator.js';
import { describeError, isTypedError } from '../typed-errors.js';

/**
 * Runs `count` mutated documents through one entry point. Each document is built from
 * (seed, index) alone, so any failure replays with `npm run fuzz -- --campaign NAME --seed S --only I`.
 */
export interface DocumentTarget<D> {
  name: string;
  /** A mutated document and what was done to it. */
  make(rng: SeededRandom): { doc: D; mutation: Mutation };
  /** Hands the document to the entry point; returns generated source to scan for planted markers. */
  deliver(doc: D): string[] | undefined | Promise<string[] | undefined>;
}

export interface CampaignOptions {
  count: number;
  seed: number;
  /** Per-document time bound in ms. */
  timeMs: number;
  /** Documents in flight at once (async entry points batch their work). Default 1. */
  concurrency?: number;
  /** Run only this document index (replaying a failure). */
  only?: number;
  onProgress?: (done: number) => void;
}

export async function runDocumentCampaign<D>(
  target: DocumentTarget<D>,
  o: CampaignOptions,
): Promise<CampaignResult> {
  const rec = new CampaignRecorder(target.name, o.seed);
  const indices = o.only !== undefined ? [o.only] : Array.from({ length: o.count }, (_, i) => i);
  const width = o.concurrency ?? 1;
  for (let start = 0; start < indices.length; start += width) {
    await Promise.all(indices.slice(start, start + width).map((i) => runOne(target, o, rec, i)));
    o.onProgress?.(Math.min(start + width, indices.length));
  }
  if (Object.hasOwn(Object.prototype, 'polluted') || ({} as Record<string, unknown>).polluted !== undefined)
    rec.fail('prototype-pollution', -1, 'Object.prototype gained a "polluted" property');
  return rec.finish();
}

async function runOne<D>(
  target: DocumentTarget<D>,
  o: CampaignOptions,
  rec: CampaignRecorder,
  i: number,
): Promise<void> {
  const rng = new SeededRandom(documentSeed(o.seed, i));
  const { doc, mutation } = target.make(rng);
  const what = `${mutation.kind} at ${mutation.path}`;
  rec.result.count++;
  const start = performance.now();
  try {
    const { value: sources } = await withinTime(() => target.deliver(doc), o.timeMs);
    rec.result.accepted++;
    if (mutation.invalid) rec.fail('accepted-invalid', i, `accepted a document made invalid by ${what}`);
    if (mutation.marker && sources?.some((s) => s.includes(mutation.marker!)))
      rec.fail('injection', i, `text from the document (${what}) reached generated source`);
  } catch (e) {
    const ms = performance.now() - start;
    if (e instanceof HangError || ms > o.timeMs) rec.fail('hang', i, `${what}: took ${ms.toFixed(0)} ms`);
    else if (isTypedError(e)) rec.result.rejected++;
    else rec.fail('untyped-error', i, `${what}: ${describeError(e)}`);
  }
}
