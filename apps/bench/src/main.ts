import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { type CliOptions, parseArgs, USAGE } from './cli.js';
import { allContenders } from './contenders/index.js';
import { runHarness } from './harness.js';
import { FULL_LIMITS, QUICK_LIMITS } from './limits/index.js';
import { FULL_PLAN, QUICK_PLAN } from './measure.js';
import { Progress } from './report/progress.js';
import { svgChart } from './report/svg.js';
import { markdownReport } from './report/table.js';
import type { MachineInfo } from './types.js';
import { allWorkloads } from './workloads/index.js';

/** stdout carries only the markdown table: everything libraries log goes to stderr. */
function logsToStderr(): void {
  const toErr = (...args: unknown[]) => void process.stderr.write(format(...args) + '\n');
  console.log = toErr;
  console.info = toErr;
  console.debug = toErr;
  console.warn = toErr;
}

function machineInfo(): MachineInfo {
  const cc = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  return {
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    ...(cc.status === 0 ? { compiler: cc.stdout.split('\n')[0]!.trim() } : {}),
  };
}

async function main(): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  logsToStderr();

  const benchDir = fileURLToPath(new URL('..', import.meta.url));
  const outDir = resolve(opts.outDir ?? join(benchDir, 'results'));
  const quick = opts.quick;
  const workloads = allWorkloads().filter((w) => !opts.only || opts.only.includes(w.id));
  const contenders = (await allContenders()).filter((c) =>
    opts.contenders ? opts.contenders.some((p) => c.id.startsWith(p)) : !(quick && c.fullOnly),
  );
  const progress = new Progress(0);

  const results = await runHarness({
    mode: quick ? 'quick' : 'full',
    plan: quick ? QUICK_PLAN : FULL_PLAN,
    compileSamples: quick
      ? { min: 3, max: 5, budgetMs: 1500, capMs: 5000, warmup: 20 }
      : { min: 5, max: 20, budgetMs: 6000, capMs: 60_000, warmup: 30 },
    limits: opts.limits ? (quick ? QUICK_LIMITS : FULL_LIMITS) : undefined,
    nativeDir: join(outDir, '.native'),
    workloads,
    contenders,
    baseline: opts.baseline,
    progress,
    machine: machineInfo(),
  });
  progress.finish();

  for (const c of contenders) await c.close?.();

  const md = markdownReport(results);
  mkdirSync(outDir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(results, null, 2) + '\n';
  const svg = svgChart(results);
  for (const name of [`bench-${results.mode}-${stamp}`, `latest-${results.mode}`]) {
    writeFileSync(join(outDir, `${name}.json`), json);
    writeFileSync(join(outDir, `${name}.svg`), svg);
    writeFileSync(join(outDir, `${name}.md`), md);
  }
  stdoutWrite(md);
  process.stderr.write(`results: ${join(outDir, `latest-${results.mode}`)}.{json,svg,md}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
