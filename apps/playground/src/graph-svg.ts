/**
 * Draws a graph-dialect stage as SVG: elkjs lays it out (layered, top-down), fusion groups become
 * coloured clusters, and each node's <title> (the hover text) gives its type and call site.
 */
import type { Graph, SourceLoc, TensorType } from '@paradox/ir';
import ElkImport from 'elkjs/lib/elk.bundled.js';
import { describeSite } from './user-code.js';

type ElkConstructor = new () => { layout(graph: unknown): Promise<unknown> };
// A CommonJS module: its default import is the constructor, or (as TypeScript types it) a namespace holding it.
const Elk = ((ElkImport as unknown as { default?: ElkConstructor }).default ??
  ElkImport) as unknown as ElkConstructor;
const elk = new Elk();
const NODE_HEIGHT = 26;
const CHAR_WIDTH = 7;
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];
const SVG_NS = 'http://www.w3.org/2000/svg';

export const groupColour = (group: number): string => PALETTE[group % PALETTE.length]!;

interface DrawnNode {
  readonly id: string;
  readonly label: string;
  readonly title: string;
  readonly group?: number;
  readonly output: boolean;
}

interface ElkBox {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkBox[];
}

const typeText = (t: TensorType): string => `${t.dtype}[${t.shape.join(',')}]`;
const siteText = (s: SourceLoc | undefined): string =>
  s ? describeSite(s.file, s.line, s.column) : 'no call site';

function drawnNodes(graph: Graph): DrawnNode[] {
  const outputs = new Set(graph.outputs);
  return [
    ...graph.inputs.map((i) => ({
      id: i.id,
      label: `%${i.id}`,
      title: `input %${i.id}: ${typeText(i.type)}`,
      output: outputs.has(i.id),
    })),
    ...graph.constants.map((c) => ({
      id: c.id,
      label: `%${c.id} const`,
      title: `captured constant %${c.id}: ${typeText(c.type)}`,
      output: outputs.has(c.id),
    })),
    ...graph.nodes.map((n) => ({
      id: n.id,
      label: `%${n.id} ${n.op}`,
      title: `%${n.id} = ${n.op}: ${typeText(n.type)}${n.group !== undefined ? ` (kernel group ${n.group})` : ''}\nat ${siteText(n.source)}`,
      ...(n.group !== undefined ? { group: n.group } : {}),
      output: outputs.has(n.id),
    })),
  ];
}

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Lays out and draws `graph`; returns the <svg> element. */
export async function drawGraph(graph: Graph): Promise<SVGSVGElement> {
  const nodes = drawnNodes(graph);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const box = (n: DrawnNode): ElkBox => ({
    id: n.id,
    width: n.label.length * CHAR_WIDTH + 16,
    height: NODE_HEIGHT,
  });
  const groups = new Map<number, ElkBox>();
  const top: ElkBox[] = [];
  for (const n of nodes) {
    if (n.group === undefined) {
      top.push(box(n));
      continue;
    }
    let cluster = groups.get(n.group);
    if (!cluster) {
      cluster = { id: `group-${n.group}`, children: [] };
      groups.set(n.group, cluster);
      top.push(cluster);
    }
    cluster.children!.push(box(n));
  }
  const edges = graph.nodes.flatMap((n) =>
    n.inputs
      .filter((i) => byId.has(i))
      .map((i, k) => ({ id: `e${n.id}-${k}`, sources: [i], targets: [n.id] })),
  );
  const laid = (await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '14',
      'elk.layered.spacing.nodeNodeBetweenLayers': '22',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: top,
    edges,
  })) as ElkBox;

  const svg = el('svg', {
    width: laid.width ?? 0,
    height: laid.height ?? 0,
    viewBox: `0 0 ${laid.width ?? 0} ${laid.height ?? 0}`,
    class: 'graph',
  }) as SVGSVGElement;
  const centres = new Map<string, { x: number; y: number }>();
  const clusterLayer = el('g', { class: 'clusters' });
  const edgeLayer = el('g', { class: 'edges' });
  const nodeLayer = el('g', { class: 'nodes' });
  svg.append(clusterLayer, edgeLayer, nodeLayer);

  const place = (b: ElkBox, dx: number, dy: number): void => {
    const x = dx + (b.x ?? 0);
    const y = dy + (b.y ?? 0);
    if (b.children) {
      const group = Number(b.id.slice('group-'.length));
      const rect = el('rect', {
        x,
        y,
        width: b.width ?? 0,
        height: b.height ?? 0,
        rx: 8,
        fill: groupColour(group),
        'fill-opacity': 0.15,
        stroke: groupColour(group),
        'data-group': group,
      });
      rect.append(el('title', {}, `fusion group ${group}: one kernel`));
      clusterLayer.append(rect);
      for (const c of b.children) place(c, x, y);
      return;
    }
    const n = byId.get(b.id)!;
    centres.set(n.id, { x: x + (b.width ?? 0) / 2, y: y + (b.height ?? 0) / 2 });
    const g = el('g', { class: 'node', 'data-id': n.id });
    g.append(
      el('title', {}, n.title),
      el('rect', {
        x,
        y,
        width: b.width ?? 0,
        height: b.height ?? 0,
        rx: 4,
        fill: '#fff',
        stroke: n.group !== undefined ? groupColour(n.group) : '#666',
        'stroke-width': n.output ? 2.5 : 1,
      }),
      el('text', { x: x + 8, y: y + 17, 'font-size': 12, 'font-family': 'monospace' }, n.label),
    );
    nodeLayer.append(g);
  };
  for (const b of laid.children ?? []) place(b, 0, 0);
  for (const e of edges) {
    const from = centres.get(e.sources[0]!);
    const to = centres.get(e.targets[0]!);
    if (!from || !to) continue;
    edgeLayer.append(
      el('line', {
        x1: from.x,
        y1: from.y + NODE_HEIGHT / 2,
        x2: to.x,
        y2: to.y - NODE_HEIGHT / 2,
        stroke: '#999',
        'marker-end': 'url(#arrow)',
      }),
    );
  }
  const defs = el('defs', {});
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#999' }));
  defs.append(marker);
  svg.prepend(defs);
  return svg;
}
