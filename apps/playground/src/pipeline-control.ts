/** The pipeline control: one row per pass, with a checkbox to toggle it and buttons to move it. */
import type { PassStep } from './state.js';

export function renderPipelineControl(
  host: HTMLElement,
  steps: readonly PassStep[],
  onChange: (steps: PassStep[]) => void,
): void {
  host.replaceChildren();
  steps.forEach((step, i) => {
    const row = document.createElement('li');
    row.dataset.pass = step.name;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = step.enabled;
    box.id = `pass-${step.name}`;
    box.addEventListener('change', () =>
      onChange(steps.map((s, k) => (k === i ? { ...s, enabled: box.checked } : s))),
    );
    const label = document.createElement('label');
    label.htmlFor = box.id;
    label.textContent = step.name;
    const move = (delta: number, text: string, title: string): HTMLButtonElement => {
      const b = document.createElement('button');
      b.textContent = text;
      b.title = title;
      b.className = delta < 0 ? 'up' : 'down';
      b.disabled = i + delta < 0 || i + delta >= steps.length;
      b.addEventListener('click', () => {
        const next = [...steps];
        [next[i], next[i + delta]] = [next[i + delta]!, next[i]!];
        onChange(next);
      });
      return b;
    };
    row.append(box, label, move(-1, '▲', 'run earlier'), move(1, '▼', 'run later'));
    host.append(row);
  });
}
