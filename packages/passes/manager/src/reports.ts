import type { PassTiming } from './manager.js';
import type { PassStats } from './pass.js';

/** A fixed-width table of per-pass wall time, slowest first, with each pass's share. */
export function formatTimingReport(timings: readonly PassTiming[]): string {
  const total = timings.reduce((s, t) => s + t.ms, 0);
  const rows = [...timings].sort((a, b) => b.ms - a.ms);
  const width = Math.max(4, ...rows.map((t) => t.pass.length));
  const lines = rows.map((t) => {
    const share = total > 0 ? (100 * t.ms) / total : 0;
    return `  ${t.ms.toFixed(3).padStart(10)} ms  ${share.toFixed(1).padStart(5)}%  ${t.pass.padEnd(width)}  x${t.runs}`;
  });
  return [`pass timing (total ${total.toFixed(3)} ms)`, ...lines].join('\n');
}

/** One line per counter: `  dce.nodesRemoved = 3`, passes in run order. */
export function formatStatsReport(stats: Readonly<Record<string, PassStats>>): string {
  const lines = Object.entries(stats).flatMap(([pass, counters]) =>
    Object.entries(counters).map(([k, v]) => `  ${pass}.${k} = ${v}`),
  );
  return ['pass statistics', ...(lines.length ? lines : ['  (none)'])].join('\n');
}
