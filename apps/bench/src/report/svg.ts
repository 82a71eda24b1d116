import type { BenchResults, CellResult, ContenderGroup } from '../types.js';
import { formatRatio, formatTime } from './format.js';

/** Hand-written SVG bar chart: one panel per workload, warm median (W5: cold cache) per contender on a log axis. */

export const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const COLORS: Record<ContenderGroup, string> = { paradox: '#e8590c', reference: '#868e96', peer: '#1c7ed6' };
const BASELINE_COLOR = '#c92a2a';

const LAYOUT = { width: 980, label: 250, bar: 520, row: 18, title: 24, axis: 16, gap: 18, pad: 12 };

/** Decade-aligned log axis covering every value. */
export function logDomain(values: readonly number[]): [number, number] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!pos.length) return [1, 10];
  let lo = 10 ** Math.floor(Math.log10(Math.min(...pos)));
  let hi = 10 ** Math.ceil(Math.log10(Math.max(...pos)));
  if (hi <= lo) hi = lo * 10;
  if (hi / lo > 1e9) lo = hi / 1e9;
  return [lo, hi];
}

/** Bar length in pixels for `v` on [lo, hi] (log), at least 1. */
export function barLength(v: number, [lo, hi]: [number, number], width: number): number {
  const f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return Math.max(1, Math.min(width, f * width));
}

export function svgChart(r: BenchResults): string {
  const L = LAYOUT;
  const parts: string[] = [];
  let y = L.pad;
  parts.push(
    `<text x="${L.pad}" y="${y + 14}" font-size="15" font-weight="bold">${escapeXml(`Paradox bench (${r.mode}) — warm median per run, log scale; ratio vs ${r.baseline}`)}</text>`,
  );
  y += 22;
  let lx = L.pad;
  for (const [color, name] of [
    [BASELINE_COLOR, 'baseline'],
    [COLORS.paradox, 'Paradox'],
    [COLORS.reference, 'hand-written JS'],
    [COLORS.peer, 'peers'],
  ] as const) {
    parts.push(`<rect x="${lx}" y="${y}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${lx + 14}" y="${y + 9}" font-size="11">${escapeXml(name)}</text>`);
    lx += 30 + name.length * 6.5;
  }
  y += 22;
  for (const w of r.workloads) {
    const cells = r.cells.filter((c) => c.workload === w.id && c.status !== 'unsupported');
    // W5 plots the cold cache (a never-seen graph), its headline figure; the others the warm median.
    const figure = (c: CellResult) => (w.id === 'W5' ? c.cold : c.warm);
    const value = (c: CellResult) => {
      const s = figure(c);
      return c.status === 'ok' && s ? s.median / w.perRun : undefined;
    };
    const domain = logDomain(cells.map(value).filter((v): v is number => v !== undefined));
    const title = `${w.id} ${w.name}${w.figureSuffix ? ` (per ${w.figureSuffix.replace('/', '')})` : ''}${w.id === 'W5' ? ' (cold cache)' : ''}`;
    parts.push(
      `<text x="${L.pad}" y="${y + 15}" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    );
    y += L.title;
    const x0 = L.pad + L.label;
    const bottom = y + cells.length * L.row;
    // decade grid and labels first, so bars draw over them
    const decades = Math.round(Math.log10(domain[1] / domain[0]));
    for (let k = 0; k <= decades; k++) {
      const x = x0 + (k / decades) * L.bar;
      parts.push(
        `<line x1="${x.toFixed(1)}" y1="${y}" x2="${x.toFixed(1)}" y2="${bottom}" stroke="#dee2e6" stroke-width="1"/>`,
      );
      parts.push(
        `<text x="${x.toFixed(1)}" y="${bottom + 12}" font-size="9" fill="#495057" text-anchor="middle">${escapeXml(formatTime(domain[0] * 10 ** k))}</text>`,
      );
    }
    for (const c of cells) {
      const v = value(c);
      parts.push(
        `<text x="${x0 - 6}" y="${y + 13}" font-size="11" text-anchor="end">${escapeXml(c.label)}</text>`,
      );
      if (v === undefined) {
        const note =
          c.status === 'wrong' ? 'wrong result' : c.status === 'unavailable' ? 'not available' : 'error';
        parts.push(
          `<text x="${x0 + 4}" y="${y + 13}" font-size="11" fill="#868e96" font-style="italic">${escapeXml(note)}</text>`,
        );
      } else {
        const len = barLength(v, domain, L.bar);
        const fill = c.contender === r.baseline ? BASELINE_COLOR : COLORS[c.group];
        parts.push(
          `<rect x="${x0}" y="${y + 3}" width="${len.toFixed(1)}" height="${L.row - 6}" fill="${fill}"><title>${escapeXml(`${c.label}: ${formatTime(v)}`)}</title></rect>`,
        );
        const shownRatio = w.id === 'W5' ? c.ratioCold : c.ratioWarm;
        const ratio = shownRatio === undefined ? '' : ` (${formatRatio(shownRatio)})`;
        parts.push(
          `<text x="${x0 + len + 5}" y="${y + 13}" font-size="11">${escapeXml(formatTime(v) + ratio)}</text>`,
        );
      }
      y += L.row;
    }
    y += L.axis + L.gap;
  }
  const height = y + L.pad;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${height}" viewBox="0 0 ${L.width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
