/** A two-bar SVG chart: eager (one program per op) against the jitted function, median ms per call. */
const SVG_NS = 'http://www.w3.org/2000/svg';

export function timingChart(
  eagerMs: number,
  jitMs: number,
  eagerBackend: string,
  jitBackend: string,
): SVGSVGElement {
  const rows = [
    { label: `eager (${eagerBackend})`, ms: eagerMs, colour: '#bab0ac' },
    { label: `jit (${jitBackend})`, ms: jitMs, colour: '#4e79a7' },
  ];
  const width = 420;
  const labelWidth = 100;
  const barMax = 220;
  const most = Math.max(eagerMs, jitMs, 1e-6);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(rows.length * 26 + 8));
  svg.setAttribute('class', 'timing');
  rows.forEach((r, i) => {
    const y = 4 + i * 26;
    const label = document.createElementNS(SVG_NS, 'text');
    label.setAttribute('x', '0');
    label.setAttribute('y', String(y + 15));
    label.setAttribute('font-size', '12');
    label.textContent = r.label;
    const bar = document.createElementNS(SVG_NS, 'rect');
    bar.setAttribute('x', String(labelWidth));
    bar.setAttribute('y', String(y));
    bar.setAttribute('height', '20');
    bar.setAttribute('width', String(Math.max(1, (r.ms / most) * barMax)));
    bar.setAttribute('fill', r.colour);
    bar.setAttribute('data-ms', String(r.ms));
    const value = document.createElementNS(SVG_NS, 'text');
    value.setAttribute('x', String(labelWidth + 6 + (r.ms / most) * barMax));
    value.setAttribute('y', String(y + 15));
    value.setAttribute('font-size', '12');
    value.textContent = `${r.ms < 1 ? r.ms.toFixed(3) : r.ms.toFixed(2)} ms`;
    svg.append(label, bar, value);
  });
  return svg;
}
