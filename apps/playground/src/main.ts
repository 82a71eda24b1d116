/** The playground page: controls, state in the URL hash, a run on every change, the result views. */
import '@paradox/backend-js';
import '@paradox/backend-wasm';
import '@paradox/backend-wgsl';
import { type RunResult, runPlayground } from './compile-run.js';
import { createEditor } from './editor.js';
import { describeError } from './error-view.js';
import { EXAMPLES } from './examples.js';
import { renderPipelineControl } from './pipeline-control.js';
import { renderResult, showStage } from './render-result.js';
import { parseShapes } from './shapes.js';
import { DEFAULT_STATE, decodeState, encodeState, type PageState, pipelineString } from './state.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const webgpu = typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu !== undefined;
/** Backend names as registered, with what the select shows. */
const BACKENDS = [
  { name: 'js', label: 'js' },
  { name: 'wasm', label: 'wasm' },
  ...(webgpu ? [{ name: 'wgsl', label: 'webgpu (wgsl)' }] : []),
];

let state: PageState = decodeState(location.hash) ?? DEFAULT_STATE;
let result: RunResult | undefined;
let stageIndex = Number.MAX_SAFE_INTEGER;
let runs = 0;
let pending: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

const status = $('status');
const setStatus = (s: 'running' | 'ok' | 'mismatch' | 'error', text: string): void => {
  status.dataset.status = s;
  status.dataset.runs = String(runs);
  status.textContent = text;
};

const editor = createEditor($('editor'), state.code, () => {
  state = { ...state, code: editor.text() };
  schedule();
});

function fillSelect(select: HTMLSelectElement, options: { value: string; label: string }[]): void {
  select.replaceChildren(
    ...options.map((o) => {
      const e = document.createElement('option');
      e.value = o.value;
      e.textContent = o.label;
      return e;
    }),
  );
}

const gallery = $<HTMLSelectElement>('gallery');
fillSelect(gallery, [
  { value: '', label: '(choose)' },
  ...EXAMPLES.map((e) => ({ value: e.id, label: e.title })),
]);
gallery.addEventListener('change', () => {
  const example = EXAMPLES.find((e) => e.id === gallery.value);
  if (!example) return;
  state = { ...state, code: example.code, shapes: example.shapes };
  showState();
  schedule(0);
});

const backendSelect = $<HTMLSelectElement>('backend');
fillSelect(
  backendSelect,
  BACKENDS.map((b) => ({ value: b.name, label: b.label })),
);
backendSelect.addEventListener('change', () => {
  state = { ...state, backend: backendSelect.value };
  schedule(0);
});

const shapesInput = $<HTMLInputElement>('shapes');
shapesInput.addEventListener('input', () => {
  state = { ...state, shapes: shapesInput.value };
  schedule();
});

$('run').addEventListener('click', () => schedule(0));
$<HTMLSelectElement>('stage').addEventListener('change', () => {
  const select = $<HTMLSelectElement>('stage');
  // Picking the last stage means "the optimized graph", whatever the pipeline's length becomes.
  stageIndex =
    select.selectedIndex === select.options.length - 1 ? Number.MAX_SAFE_INTEGER : Number(select.value);
  if (result) void showStage(result, stageIndex);
});

function showPipeline(): void {
  renderPipelineControl($('pipeline'), state.pipeline, (steps) => {
    state = { ...state, pipeline: steps };
    showPipeline();
    schedule(0);
  });
}

/** Puts the state into the controls (after a hash change or a gallery pick). */
function showState(): void {
  if (editor.text() !== state.code) editor.setText(state.code);
  shapesInput.value = state.shapes;
  if (!BACKENDS.some((b) => b.name === state.backend)) state = { ...state, backend: 'js' };
  backendSelect.value = state.backend;
  showPipeline();
}

function schedule(delay = 400): void {
  clearTimeout(pending);
  pending = setTimeout(() => void run(), delay);
}

async function run(): Promise<void> {
  const mine = ++generation;
  const hash = encodeState(state);
  if (location.hash !== hash) history.replaceState(null, '', hash);
  setStatus('running', 'running…');
  const errorBox = $('error');
  try {
    const r = await runPlayground({
      code: state.code,
      shapes: parseShapes(state.shapes),
      pipeline: pipelineString(state.pipeline),
      backend: state.backend,
    });
    if (mine !== generation) return;
    result = r;
    await renderResult(r, state.backend, stageIndex);
    errorBox.hidden = true;
    runs++;
    setStatus(r.check.mismatch ? 'mismatch' : 'ok', r.check.mismatch ? 'differs from the interpreter' : 'ok');
  } catch (e) {
    if (mine !== generation) return;
    const shown = describeError(e);
    errorBox.hidden = false;
    $('check').textContent = '(no result: the run failed)';
    $('chart').replaceChildren();
    errorBox.textContent = `${shown.name}: ${shown.message}${shown.site ? `\n  at ${shown.site}` : ''}`;
    runs++;
    setStatus('error', shown.name);
  }
}

window.addEventListener('hashchange', () => {
  const next = decodeState(location.hash);
  if (!next || encodeState(next) === encodeState(state)) return;
  state = next;
  showState();
  schedule(0);
});

/** What the browser test reads. */
(globalThis as { playground?: unknown }).playground = {
  webgpu,
  backends: BACKENDS.map((b) => b.name),
  state: () => state,
  result: () => result,
};

showState();
schedule(0);
