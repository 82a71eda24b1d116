/**
 * paradox-fuzz: the fuzz and differential campaigns from the command line (the CI test runs the
 * same code with smaller counts). Examples:
 *   npm run fuzz -- --count 100000                      every campaign, 100,000 documents/programs each
 *   npm run fuzz -- --campaign compile:wgsl --count 2000 --seed 42
 *   npm run fuzz -- --campaign loaders --seed 42 --only 1234   replay one document
 *   npm run fuzz -- --replay 3390937760 --backend js     print one generated program and its diff
 * Exit status 1 when any campaign has a failure that is not a listed known defect.
 */
import { type CampaignResult, formatResult } from './campaign.js';
import { campaignNames, runCampaign } from './campaigns/index.js';
import { replayProgram } from './campaigns/replay.js';

interface Args {
  campaigns: string[];
  count: number;
  seed: number;
  only?: number;
  json: boolean;
  replay?: number;
  backend: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    campaigns: ['all'],
    count: 10_000,
    seed: Number(process.env.PARADOX_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31)),
    json: false,
    backend: 'js',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--campaign') args.campaigns = value().split(',');
    else if (flag === '--count') args.count = Number(value().replaceAll('_', ''));
    else if (flag === '--seed') args.seed = Number(value());
    else if (flag === '--only') args.only = Number(value());
    else if (flag === '--json') args.json = true;
    else if (flag === '--replay') args.replay = Number(value());
    else if (flag === '--backend') args.backend = value();
    else if (flag === '--list') args.campaigns = ['list'];
    else if (flag === '--help' || flag === '-h') args.campaigns = ['help'];
    else throw new Error(`unknown option ${flag} (see the comment at the top of apps/fuzz/src/cli.ts)`);
  }
  if (!Number.isInteger(args.count) || args.count < 1) throw new Error('--count must be a positive integer');
  return args;
}

const USAGE = `usage: npm run fuzz -- [options]
  --campaign NAMES   comma-separated campaigns (default all; --list prints them)
  --count N          documents/programs per campaign (default 10,000)
  --seed S           campaign seed (default PARADOX_FUZZ_SEED or random)
  --only I           replay document I of a campaign (with --seed)
  --replay P         print generated program P and its diff on --backend B (default js)
  --json             print the results as JSON on stdout
  --list             list the campaigns
env: PARADOX_FUZZ_NO_GATES=1 reports known defects as failures too
exit status 1 when a campaign has a failure that is not a listed known defect`;

const args = parseArgs(process.argv.slice(2));
if (args.campaigns[0] === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (args.replay !== undefined) {
  console.log(await replayProgram(args.replay, args.backend));
  process.exit(0);
}
if (args.campaigns[0] === 'list') {
  console.log((await campaignNames(['all'])).join('\n'));
  process.exit(0);
}
const names = await campaignNames(args.campaigns);
console.error(`[fuzz] seed ${args.seed}, ${args.count} per campaign: ${names.join(', ')}`);
const results: CampaignResult[] = [];
for (const name of names) {
  const r = await runCampaign(name, {
    count: args.count,
    seed: args.seed,
    ...(args.only !== undefined ? { only: args.only } : {}),
    onProgress: (done) => process.stderr.write(`progress ${name} ${done}\n`),
  });
  results.push(r);
  console.error(formatResult(r));
}
if (args.json) console.log(JSON.stringify(results));
process.exit(results.some((r) => r.failureCount > 0) ? 1 : 0);
