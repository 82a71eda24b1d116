/** Fills the result views from one run: graph per stage, IR with changes, fusion report, program, code, check, chart. */
import { renderCodeViews } from './code-views.js';
import type { RunResult } from './compile-run.js';
import { drawGraph } from './graph-svg.js';
import { renderIr } from './ir-view.js';
import { timingChart } from './timing-chart.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

function pre(text: string): HTMLPreElement {
  const p = document.createElement('pre');
  p.textContent = text;
  return p;
}

/** Shows stage `index` (the last one, the optimized graph, when out of range). */
export async function showStage(result: RunResult, index: number): Promise<void> {
  const stage = result.stages[Math.min(index, result.stages.length - 1)]!;
  renderIr($('ir'), stage.text, stage.changed);
  const svg = await drawGraph(stage.graph);
  $('graph').replaceChildren(svg);
}

export async function renderResult(result: RunResult, backend: string, stageIndex: number): Promise<void> {
  const stageSelect = $('stage') as HTMLSelectElement;
  stageSelect.replaceChildren(
    ...result.stages.map((s, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = s.label;
      return o;
    }),
  );
  const shown = Math.min(stageIndex, result.stages.length - 1);
  stageSelect.value = String(shown);
  $('fusion').textContent =
    result.inspection.fusionReportText ?? '(no fusion pass in the pipeline: one kernel per op)';
  $('program').textContent = result.inspection.program;
  $('code').replaceChildren(
    ...renderCodeViews(result.program).flatMap((v) => {
      const h = document.createElement('h3');
      h.textContent = `${v.backend}${v.shown ? '' : ' (not shown)'}`;
      const body = pre(v.text);
      body.dataset.backend = v.backend;
      return [h, body];
    }),
  );
  const c = result.check;
  $('check').textContent =
    `${backend}: ${result.inspection.kernelCount} kernel(s); ${c.outputs} output(s), ${c.elements} element(s) ` +
    (c.mismatch
      ? `DIFFER from the interpreter: ${c.mismatch}`
      : `match the reference interpreter (max |diff| ${c.maxAbsDiff.toExponential(2)})`);
  $('chart').replaceChildren(timingChart(result.eagerMs, result.jitMs, result.eagerBackend, backend));
  await showStage(result, shown);
}
