/**
 * Browser smoke test: the browser entry of @paradox/backend-wgsl, bundled with esbuild, runs a
 * small program (fused matmul + bias + relu, softmax, a reduction) on navigator.gpu in headless
 * Debian chromium, served from 127.0.0.1 (a secure context; about:blank is not). Results are
 * compared with the reference interpreter. Needs /usr/bin/chromium
 * (`bash scripts/setup-webgpu.sh --browser`); skipped with that message when it is absent.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareArrays } from '@paradox/backend-conformance';
import { GraphBuilder, interpret, serializeProgram } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import {
  bundleForBrowser,
  hasChromium,
  launchChromium,
  modulePage,
  NO_CHROMIUM,
  type PageServer,
  serve,
} from '@paradox/testing-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data } from './programs.js';

const here = dirname(fileURLToPath(import.meta.url));

function smokeGraph() {
  const b = new GraphBuilder('smoke');
  const x = b.input('x', { dtype: 'float32', shape: [8, 16] });
  const w = b.input('w', { dtype: 'float32', shape: [16, 12] });
  const bias = b.input('b', { dtype: 'float32', shape: [12] });
  const y = b.op('relu', [
    b.op('add', [b.op('matmul', [x, w]), b.op('broadcast', [bias], { shape: [8, 12] })]),
  ]);
  const m = b.op('max', [y], { axes: [1], keepdims: true });
  const e = b.op('exp', [b.op('sub', [y, b.op('broadcast', [m], { shape: [8, 12] })])]);
  const s = b.op('sum', [e], { axes: [1], keepdims: true });
  const soft = b.op('div', [e, b.op('broadcast', [s], { shape: [8, 12] })]);
  const g = b.output(y, soft, b.op('sum', [x], { axes: [0], keepdims: false })).build();
  const ids = g.nodes.map((n) => n.id);
  // matmul + bias + relu in one kernel; softmax in the two-kernel form; the column sum alone.
  for (const n of g.nodes) n.group = ids.indexOf(n.id) < 4 ? 0 : undefined;
  return g;
}

describe.skipIf(!hasChromium)(`browser smoke (${hasChromium ? 'chromium' : NO_CHROMIUM})`, () => {
  let server: PageServer;
  let url: string;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleForBrowser(join(here, 'browser/entry.ts'));
    const html = modulePage('paradox wgsl smoke');
    server = await serve((path) =>
      path === '/bundle.js'
        ? { body: bundle, type: 'text/javascript' }
        : path === '/' || path === '/index.html'
          ? { body: html, type: 'text/html' }
          : undefined,
    );
    url = server.url;
  });

  afterAll(() => {
    server?.close();
  });

  it('the browser bundle leaves out the Node-only webgpu package', () => {
    expect(bundle).not.toContain('dawn.node');
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });

  it('runs a fused program on navigator.gpu and matches the interpreter', async () => {
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      await page.waitForFunction(() => 'paradoxSmoke' in globalThis, undefined, { timeout: 30_000 });
      const graph = smokeGraph();
      const program = lowerGraph(graph);
      const inputs = graph.inputs.map((i, k) =>
        data(
          i.type.dtype,
          i.type.shape.reduce((a, b) => a * b, 1),
          k + 7,
        ),
      );
      const result = await page.evaluate(
        ({ json, inputs }) =>
          (
            globalThis as unknown as {
              paradoxSmoke: (j: string, i: unknown) => Promise<{ adapter: string; outputs: number[][] }>;
            }
          ).paradoxSmoke(json, inputs),
        {
          json: serializeProgram(program),
          inputs: inputs.map((d, k) => ({ dtype: graph.inputs[k]!.type.dtype, values: Array.from(d) })),
        },
      );
      expect(errors).toEqual([]);
      expect(result.adapter.length).toBeGreaterThan(0);
      const expected = interpret(graph, inputs);
      expect(result.outputs.length).toBe(expected.length);
      expected.forEach((e, i) => {
        const diff = compareArrays(Float32Array.from(result.outputs[i]!), e.data, e.dtype, {
          tolerance: { rtol: 1e-4, atol: 1e-4 },
        });
        expect(diff, `output ${i}`).toBeUndefined();
      });
    } finally {
      await browser.close();
    }
  });
});
