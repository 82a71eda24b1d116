import { describe, expect, it } from 'vitest';
import { annotate } from '../src/harness.js';
import { limitFor } from '../src/limits/index.js';
import { barLength, escapeXml, logDomain, svgChart } from '../src/report/svg.js';
import { limitsTable, markdownReport, workloadTable } from '../src/report/table.js';
import { summarize } from '../src/stats.js';
import type { CellResult, Probe, Workload } from '../src/types.js';
import { sampleResults } from './fixtures.js';

const rowOf = (table: string, label: string) => table.split('\n').find((l) => l.startsWith(`| ${label}`));

describe('markdown table', () => {
  const r = sampleResults();
  const w1 = workloadTable(r, r.workloads[0]!);

  it('has a heading with the bytes moved, a header and one row per applicable contender', () => {
    expect(w1).toContain('### W1 elementwise chain: relu(x*2+1) — 32.0 MiB moved per run');
    expect(w1).toContain(
      '| contender | warm median | min – max | vs jit | cold median | min – max | vs jit | rate = of bandwidth | check |',
    );
    const rows = w1.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| contender'));
    expect(rows).toHaveLength(4);
  });

  it('bolds the baseline and prints times, ranges, ratios, rate and check', () => {
    expect(rowOf(w1, '**Paradox jit (js)**')).toBe(
      '| **Paradox jit (js)** | 2.00 ms | 2.00 ms – 2.00 ms | 1.00× | 4.00 ms | 4.00 ms – 4.00 ms | 1.00× | 16.8 GB/s = 42% | ok (1.0e-7) |',
    );
    expect(rowOf(w1, 'tfjs <wasm>')).toBe(
      '| tfjs <wasm> | 6.00 ms | 5.00 ms – 7.00 ms | 3.00× | 8.00 ms | 8.00 ms – 8.00 ms | 2.00× | — | ok (0.0e+0) |',
    );
  });

  it('shows failures in the row with their message (pipes escaped) and lists unsupported ones below', () => {
    expect(rowOf(w1, 'broken lib')).toBe(
      '| broken lib | — | — | — | — | — | — | — | not available: Cannot find module \\| x |',
    );
    expect(rowOf(w1, 'wrong lib')).toContain('**WRONG** wrong result: element 3: got 1, want 2');
    expect(w1).toContain('Not applicable: naive matmul (matmul reference only).');
    expect(w1).not.toContain('No ratios');
  });

  it('divides per-op workloads by the op count', () => {
    const w3 = workloadTable(r, r.workloads[1]!);
    expect(w3).toContain('| contender | warm/op median |');
    expect(rowOf(w3, '**Paradox jit (js)**')).toContain('| 1.00 µs | 1.00 µs – 1.00 µs | 1.00× | 2.00 µs |');
  });

  it('W5 shows cold cache first, then warm cache and first compile, and says why there are no ratios', () => {
    const w5 = workloadTable(r, r.workloads[2]!);
    expect(w5).toContain(
      '| contender | cold cache median | min – max | vs jit | warm cache median | min – max | vs jit | first compile in process | check |',
    );
    expect(rowOf(w5, 'onnxruntime')).toContain('| 50.0 ms |');
    expect(rowOf(w5, 'onnxruntime')).toContain('| 90.0 ms |');
    expect(w5).toContain('No ratios: the baseline Paradox jit (js) has no figure here (error: boom).');
  });

  it('limits table and the whole report', () => {
    const lt = limitsTable(r);
    expect(lt).toContain('| STREAM triad, C++ | 1 | 40.0 GB/s | d |');
    expect(lt).toContain('| STREAM triad \\| 2t | 2 | not available: no compiler |  |');
    const md = markdownReport(r);
    expect(md.startsWith('## Paradox bench (quick) — 2025-01-01T00:00:00.000Z, 42 s')).toBe(true);
    expect(md).toContain('Test CPU, 2 cores, 24 GiB, Node v20.0.0, linux-x64');
    expect(md.match(/^### /gm)).toHaveLength(4); // limits + three workloads
    expect(md).not.toContain('the machine was busy');
  });

  it("warns when other processes took CPU time, and says how much; not for the bench's own threads", () => {
    const busy = { ...r, machine: { ...r.machine, contention: { loadAtStart: 0.3, othersShare: 0.42 } } };
    expect(markdownReport(busy)).toContain(
      '**Warning: the machine was busy** (other processes used 42% of the CPU during the run; 1-minute load average 0.3 at the start, on 2 cores)',
    );
    const loadedStart = {
      ...r,
      machine: { ...r.machine, contention: { loadAtStart: 1.9, othersShare: 0.02 } },
    };
    expect(markdownReport(loadedStart)).not.toContain('busy'); // load from work that ended before the run
    const quiet = { ...r, machine: { ...r.machine, contention: { loadAtStart: 0.2, othersShare: 0.03 } } };
    expect(markdownReport(quiet)).toContain(
      'Other processes used 3% of the CPU during the run (quiet machine).',
    );
    expect(markdownReport(quiet)).not.toContain('busy');
  });
});

describe('svg chart', () => {
  const r = sampleResults();
  const svg = svgChart(r);

  it('is one svg element with balanced text and rect tags', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const count = (re: RegExp) => (svg.match(re) ?? []).length;
    expect(count(/<text /g)).toBe(count(/<\/text>/g));
    expect(count(/<rect x=[^>]*[^/]>/g)).toBe(count(/<\/rect>/g));
  });

  it('draws one bar per figure and escapes labels', () => {
    // W1: 2 ok, W3: 1 ok, W5: 1 ok (bars carry a <title>; the 4 legend swatches are self-closing)
    expect((svg.match(/<\/rect>/g) ?? []).length).toBe(4);
    expect((svg.match(/<rect x=[^>]*\/>/g) ?? []).length).toBe(4);
    expect(svg).toContain('tfjs &lt;wasm&gt;');
    expect(svg).not.toContain('tfjs <wasm>');
    expect(svg).toContain('not available');
    expect(svg).toContain('wrong result');
  });

  it('plots W5 by its cold-cache median', () => {
    expect(svg).toContain('W5 compile time (cold cache)');
    expect(svg).toContain('<title>onnxruntime: 60.0 ms</title>');
    expect(svg).not.toContain('onnxruntime: 50.0 ms');
  });

  it('log axis helpers', () => {
    expect(logDomain([2, 300])).toEqual([1, 1000]);
    expect(logDomain([5])).toEqual([1, 10]);
    expect(logDomain([])).toEqual([1, 10]);
    expect(barLength(10, [1, 100], 200)).toBeCloseTo(100, 9);
    expect(barLength(1, [1, 100], 200)).toBe(1);
    expect(barLength(1e6, [1, 100], 200)).toBe(200);
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });
});

describe('ratios and fractions of the machine limit', () => {
  const probes: Probe[] = [
    { id: 'js', name: 'js triad', value: 10, unit: 'GB/s', threads: 1, detail: '' },
    { id: 'c1', name: 'c triad 1t', value: 40, unit: 'GB/s', threads: 1, detail: '' },
    { id: 'c2', name: 'c triad 2t', value: 35, unit: 'GB/s', threads: 2, detail: '' },
    { id: 'f1', name: 'fma 1t', value: 200, unit: 'GFLOP/s', threads: 1, detail: '' },
    { id: 'f2', name: 'fma 2t', value: 300, unit: 'GFLOP/s', threads: 2, detail: '' },
  ];

  it('bandwidth limit: best probe with at most that many threads', () => {
    expect(limitFor(probes, 'GB/s', 1)?.value).toBe(40);
    expect(limitFor(probes, 'GB/s', 2)?.value).toBe(40);
  });

  it('FMA limit: per-core peak times threads, or the multi-thread probe if higher', () => {
    expect(limitFor(probes, 'GFLOP/s', 1)?.value).toBe(200);
    expect(limitFor(probes, 'GFLOP/s', 2)?.value).toBe(400);
    expect(limitFor([], 'GFLOP/s', 1)).toBeUndefined();
  });

  it('annotate fills ratios vs the baseline and the achieved rate', () => {
    const w = { id: 'W2', limit: 'fma', flops: 2e9, bytes: 0 } as Workload;
    const cells: CellResult[] = [
      {
        workload: 'W2',
        contender: 'base',
        label: 'b',
        group: 'paradox',
        threads: 1,
        status: 'ok',
        warm: summarize([100]),
        cold: summarize([200]),
      },
      {
        workload: 'W2',
        contender: 'two',
        label: 't',
        group: 'peer',
        threads: 2,
        status: 'ok',
        warm: summarize([50]),
        cold: summarize([400]),
      },
    ];
    annotate(cells, [w], probes, 'base');
    expect(cells[0]).toMatchObject({ ratioWarm: 1, ratioCold: 1, achieved: 20, fractionOfLimit: 0.1 });
    expect(cells[1]).toMatchObject({ ratioWarm: 0.5, ratioCold: 2, achieved: 40, fractionOfLimit: 0.1 });
  });
});
