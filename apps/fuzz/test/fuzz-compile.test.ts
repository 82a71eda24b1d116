import { expect, it } from 'vitest';
import { presentBackends } from '../src/backends.js';
import { type CampaignResult, formatResult } from '../src/campaign.js';
import { runCampaigns } from './run-cli.js';

/**
 * #18 item 8: mutated kernel programs straight into Backend.compile of every backend in the
 * repository (found by directory, so a new backend joins without an edit here). Backends that run
 * a native compiler per accepted program (c: cc -O3, cuda-emu: g++) get their own process, so a
 * slow compiler shows in its own line; the processes run at once, sharing the cores. Nightly volume: `npm run fuzz -- --campaign compile --count 100000`.
 */
const COUNT = 10_000;
const NATIVE_COMPILERS: Record<string, number> = { c: 10_000, 'cuda-emu': 10_000 };

const fast = presentBackends().filter((b) => !(b.name in NATIVE_COMPILERS));
const native = presentBackends().filter((b) => b.name in NATIVE_COMPILERS);

function check(results: CampaignResult[], count: number): void {
  for (const r of results) {
    expect(r.count).toBeGreaterThanOrEqual(count);
    expect(r.failureCount, formatResult(r)).toBe(0);
  }
}

it.concurrent(`Backend.compile: ${COUNT} mutated programs each on ${fast.map((b) => b.name).join(', ')}`, async () => {
  const results = await runCampaigns(
    fast.map((b) => `compile:${b.name}`),
    COUNT,
  );
  expect(results).toHaveLength(fast.length);
  check(results, COUNT);
}, 900_000);

for (const b of native) {
  const count = NATIVE_COMPILERS[b.name]!;
  it.concurrent(`Backend.compile: ${count} mutated programs on ${b.name}`, async () => {
    check(await runCampaigns([`compile:${b.name}`], count), count);
  }, 900_000);
}
