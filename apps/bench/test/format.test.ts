import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatPercent,
  formatRange,
  formatRate,
  formatRatio,
  formatTime,
  mdCell,
} from '../src/report/format.js';
import { renderBar } from '../src/report/progress.js';

describe('format', () => {
  it('picks ns, µs, ms or s with three significant digits', () => {
    expect(formatTime(0.000_123_4)).toBe('123 ns');
    expect(formatTime(0.0123)).toBe('12.3 µs');
    expect(formatTime(1.234)).toBe('1.23 ms');
    expect(formatTime(123.4)).toBe('123 ms');
    expect(formatTime(12_345)).toBe('12.3 s');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime(Number.NaN)).toBe('—');
  });

  it('rounds before choosing the unit (no "1000 µs", no "100.0 ns")', () => {
    expect(formatTime(0.999_999_9)).toBe('1.00 ms');
    expect(formatTime(1e-4)).toBe('100 ns');
    expect(formatTime(10 ** -4 * 0.999_999_999)).toBe('100 ns');
  });

  it('ratios, percentages, rates, ranges, bytes', () => {
    expect(formatRatio(1)).toBe('1.00×');
    expect(formatRatio(12.345)).toBe('12.3×');
    expect(formatRatio(456.7)).toBe('457×');
    expect(formatRatio(0.0234)).toBe('0.023×');
    expect(formatRatio(0.00101)).toBe('0.0010×');
    expect(formatRatio(undefined)).toBe('—');
    expect(formatPercent(0.3141)).toBe('31%');
    expect(formatPercent(0.0314)).toBe('3.1%');
    expect(formatPercent(0.003)).toBe('0.30%');
    expect(formatRate(39.42, 'GB/s')).toBe('39.4 GB/s');
    expect(formatRange(1, 2.5)).toBe('1.00 ms – 2.50 ms');
    expect(formatBytes(32 * 2 ** 20)).toBe('32.0 MiB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('mdCell keeps a table cell on one line with pipes escaped and long text cut', () => {
    expect(mdCell('a | b\nc')).toBe('a \\| b c');
    const long = mdCell('x'.repeat(300), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });

  it('progress bar shows filled fraction, counts and label', () => {
    expect(renderBar(5, 10, 10, 'W1 tfjs', 0)).toBe('[#####.....]  5/10 | 0.0s  W1 tfjs');
    expect(renderBar(10, 10, 4, 'x', 1.26)).toBe('[####] 10/10 / 1.3s  x');
    expect(renderBar(0, 0, 4, '', 0)).toMatch(/^\[\.\.\.\.\]/);
  });
});
