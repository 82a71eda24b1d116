/** Human formatting of times, rates and ratios (pure). */

/** Milliseconds to a 3-significant-digit string in ns, µs, ms or s. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  ms = Number(ms.toPrecision(3)); // 0.99999 ms prints as 1.00 ms, not 1000 µs
  const abs = Math.abs(ms);
  if (abs < 1e-3) return `${sig(ms * 1e6)} ns`;
  if (abs < 1) return `${sig(ms * 1e3)} µs`;
  if (abs < 1000) return `${sig(ms)} ms`;
  return `${sig(ms / 1000)} s`;
}

/** Three significant digits, no exponent for the ranges we print. */
export function sig(x: number): string {
  if (x === 0) return '0';
  x = Number(x.toPrecision(3));
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x.toFixed(digits);
}

/** min–max range using the unit of the min. */
export function formatRange(min: number | undefined, max: number | undefined): string {
  if (min === undefined || max === undefined) return '—';
  return `${formatTime(min)} – ${formatTime(max)}`;
}

/** A time ratio: '1.00×', '12.3×', '0.41×', '0.0010×' (two significant digits below 0.1). */
export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  const text = r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
  return `${text}×`;
}

export function formatPercent(f: number | undefined): string {
  if (f === undefined || !Number.isFinite(f)) return '—';
  const p = f * 100;
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)}%`;
}

export function formatRate(v: number | undefined, unit: string): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${sig(n / 2 ** 30)} GiB`;
  if (n >= 2 ** 20) return `${sig(n / 2 ** 20)} MiB`;
  if (n >= 2 ** 10) return `${sig(n / 2 ** 10)} KiB`;
  return `${n} B`;
}

/** Text safe inside a markdown table cell: one line, pipes escaped, at most `max` characters. */
export function mdCell(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? one.slice(0, max - 1) + '…' : one;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}
