import { expect, it } from 'vitest';
import { presentBackends } from '../src/backends.js';
import { formatResult } from '../src/campaign.js';
import { runCampaigns } from './run-cli.js';

// #18 item 8: mutated kernel programs straight into Backend.compile of every backend in the
// repository (found by directory, so a new backend joins without an edit here).
const COUNT = 10_000;
const names = presentBackends().map((b) => b.name);

it(`Backend.compile: ${COUNT} mutated programs on every backend (${names.join(', ')})`, async () => {
  const results = await runCampaigns(['compile'], COUNT);
  expect(results.map((r) => r.campaign).sort()).toEqual(names.map((n) => `compile:${n}`).sort());
  for (const r of results) {
    expect(r.count).toBeGreaterThanOrEqual(COUNT);
    expect(r.failureCount, formatResult(r)).toBe(0);
  }
}, 900_000);
