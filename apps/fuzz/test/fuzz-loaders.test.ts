import { expect, it } from 'vitest';
import { formatResult } from '../src/campaign.js';
import { runCampaigns } from './run-cli.js';

// #18 item 8: >= 10,000 mutated documents per loader per CI run (nightly-style:
// `npm run fuzz -- --campaign loaders --count 100000`).
const COUNT = 10_000;

it(`loaders: ${COUNT} mutated documents each to deserializeGraph, parseGraph, deserializeProgram, loadCompiled`, async () => {
  // Two child processes at once (two loaders each), so both cores work.
  const halves = await Promise.all([
    runCampaigns(['deserializeGraph', 'parseGraph'], COUNT),
    runCampaigns(['deserializeProgram', 'loadCompiled'], COUNT),
  ]);
  const results = halves.flat();
  expect(results.map((r) => r.campaign)).toEqual([
    'deserializeGraph',
    'parseGraph',
    'deserializeProgram',
    'loadCompiled',
  ]);
  for (const r of results) {
    expect(r.count).toBeGreaterThanOrEqual(COUNT);
    expect(r.failureCount, formatResult(r)).toBe(0);
  }
}, 900_000);
