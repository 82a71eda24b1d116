import type { BenchResults, CellResult } from '../types.js';
import {
  formatBytes,
  formatPercent,
  formatRange,
  formatRate,
  formatRatio,
  formatTime,
  mdCell,
} from './format.js';

type W = BenchResults['workloads'][number];

const scale = (ms: number | undefined, w: W): number | undefined =>
  ms === undefined ? undefined : ms / w.perRun;

function checkCell(c: CellResult): string {
  if (c.status === 'ok') {
    const ok = c.check ? `ok (${c.check.maxAbsErr.toExponential(1)})` : 'ok';
    return c.note ? `${ok}; ${mdCell(c.note)}` : ok;
  }
  if (c.status === 'wrong') return `**WRONG** ${mdCell(c.message ?? '')}`;
  return mdCell(c.message ?? c.status);
}

function limitCell(c: CellResult, w: W): string {
  if (w.limit === 'none' || c.achieved === undefined) return '—';
  const unit = w.limit === 'fma' ? 'GFLOP/s' : 'GB/s';
  return `${formatRate(c.achieved, unit)} = ${formatPercent(c.fractionOfLimit)}`;
}

function workloadHeading(w: W): string {
  const cost =
    w.limit === 'bandwidth'
      ? ` — ${formatBytes(w.bytes)} moved per run`
      : w.limit === 'fma'
        ? ` — ${(w.flops / 1e6).toFixed(1)} MFLOP per run`
        : '';
  return `### ${w.id} ${w.name}: ${w.description}${cost}`;
}

export function workloadTable(r: BenchResults, w: W): string {
  const cells = r.cells.filter((c) => c.workload === w.id);
  const shown = cells.filter((c) => c.status !== 'unsupported');
  const skipped = cells.filter((c) => c.status === 'unsupported');
  const compile = w.id === 'W5';
  const suffix = w.figureSuffix ?? '';
  // W5's headline is the cold cache (a graph never seen before), so it comes first.
  const firstName = compile ? 'cold cache' : `warm${suffix}`;
  const secondName = compile ? 'warm cache' : `cold${suffix}`;
  const lastName = compile
    ? 'first compile in process'
    : w.limit === 'fma'
      ? 'rate = of FMA peak'
      : w.limit === 'bandwidth'
        ? 'rate = of bandwidth'
        : '—';
  const lines = [
    workloadHeading(w),
    '',
    `| contender | ${firstName} median | min – max | vs jit | ${secondName} median | min – max | vs jit | ${lastName} | check |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const c of shown) {
    const label = c.contender === r.baseline ? `**${mdCell(c.label)}**` : mdCell(c.label);
    if (c.status !== 'ok') {
      lines.push(`| ${label} | — | — | — | — | — | — | — | ${checkCell(c)} |`);
      continue;
    }
    const last = compile ? formatTime(c.firstMs) : limitCell(c, w);
    const warm = [c.warm, c.ratioWarm] as const;
    const cold = [c.cold, c.ratioCold] as const;
    const figures = (compile ? [cold, warm] : [warm, cold]).map(
      ([s, ratio]) =>
        `${formatTime(scale(s?.median, w))} | ${formatRange(scale(s?.min, w), scale(s?.max, w))} | ${formatRatio(ratio)}`,
    );
    lines.push(`| ${label} | ${figures.join(' | ')} | ${last} | ${checkCell(c)} |`);
  }
  if (skipped.length)
    lines.push('', `Not applicable: ${skipped.map((c) => `${c.label} (${c.message})`).join('; ')}.`);
  const base = cells.find((c) => c.contender === r.baseline);
  if (!base || base.status !== 'ok') {
    lines.push(
      '',
      `No ratios: the baseline ${base?.label ?? r.baseline} has no figure here${base?.message ? ` (${mdCell(base.message, 200)})` : ''}.`,
    );
  }
  return lines.join('\n');
}

export function limitsTable(r: BenchResults): string {
  const lines = ['| probe | threads | figure | detail |', '|---|--:|--:|---|'];
  for (const p of r.limits) {
    const fig =
      p.value === undefined ? `not available: ${mdCell(p.error ?? '')}` : formatRate(p.value, p.unit);
    lines.push(`| ${mdCell(p.name)} | ${p.threads} | ${fig} | ${mdCell(p.detail)} |`);
  }
  return lines.join('\n');
}

/** Other processes' share of the CPU above which the report warns. */
const BUSY_SHARE = 0.1;

function loadWarning(r: BenchResults): string[] {
  const c = r.machine.contention;
  if (!c) return [];
  const pct = `${(c.othersShare * 100).toFixed(0)}%`;
  // The load average is no criterion: it decays over minutes, so work that ended before the run still shows.
  if (c.othersShare <= BUSY_SHARE) {
    return ['', `Other processes used ${pct} of the CPU during the run (quiet machine).`];
  }
  return [
    '',
    `**Warning: the machine was busy** (other processes used ${pct} of the CPU during the run; 1-minute load average ` +
      `${c.loadAtStart.toFixed(1)} at the start, on ${r.machine.cores} cores), so figures are slower and noisier than the hardware allows. Rerun on a quiet machine before drawing conclusions.`,
  ];
}

/** The whole report as markdown (what `npm run bench` prints on stdout). */
export function markdownReport(r: BenchResults): string {
  const m = r.machine;
  const baseLabel = r.cells.find((c) => c.contender === r.baseline)?.label ?? r.baseline;
  const out = [
    `## Paradox bench (${r.mode}) — ${r.startedAt}, ${r.durationS.toFixed(0)} s`,
    '',
    `${mdCell(m.cpu)}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}${m.compiler ? `, ${mdCell(m.compiler)}` : ''}`,
    ...loadWarning(r),
    '',
    'Times are per run (W3: per op; W5: per compile), median of repeated runs after warm-up. ' +
      `**vs jit** = time ÷ ${baseLabel}'s time on the same workload (above 1× is slower). ` +
      'Warm: inputs made once, repeated runs. Cold: every run gets freshly allocated inputs and must upload, compute and read back. ' +
      'Rate: least bytes moved (or useful flops) ÷ warm median, and its fraction of the machine limit measured below at the same thread count.',
    '',
    '### Machine limits',
    '',
    ...(r.limits.length
      ? ['Probed at the start and again at the end of the run; the better figure of the two is shown.', '']
      : []),
    r.limits.length ? limitsTable(r) : 'Not measured (--no-limits).',
  ];
  for (const w of r.workloads) out.push('', workloadTable(r, w));
  return out.join('\n') + '\n';
}
