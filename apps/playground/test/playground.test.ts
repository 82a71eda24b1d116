/**
 * The playground in the system Chromium: built with vite, served from 127.0.0.1, driven with
 * playwright-core. Every gallery example runs on js and wasm (and webgpu when the page finds
 * navigator.gpu); the page's outputs are checked here against the reference interpreter, run in Node
 * on the same function and inputs. Screenshots go to apps/playground/test-artifacts/.
 */
import '@paradox/backend-js';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { interpret, type TypedArray } from '@paradox/ir';
import { StaticGraph } from '@paradox/jit';
import { hasChromium, launchChromium, NO_CHROMIUM, serveFolder } from '@paradox/testing-browser';
import { randn } from '@paradox/tracer';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutputs } from '../src/compare.js';
import { EXAMPLES } from '../src/examples.js';
import { parseShapes } from '../src/shapes.js';
import { DEFAULT_STEPS, encodeState, type PageState } from '../src/state.js';
import { evaluateUserCode } from '../src/user-code.js';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const artifacts = join(root, 'test-artifacts');

interface PageView {
  webgpu: boolean;
  status: string;
  runs: number;
  check?: { mismatch?: string; elements: number; maxAbsDiff: number };
  outputs?: number[][];
  clusters: number;
  nodes: number;
  error: string;
}

async function view(page: Page): Promise<PageView> {
  return page.evaluate(() => {
    const pg = (globalThis as any).playground;
    const r = pg.result();
    const status = document.getElementById('status')!;
    return {
      webgpu: pg.webgpu,
      status: status.dataset.status ?? '',
      runs: Number(status.dataset.runs ?? 0),
      check: r?.check,
      outputs: r?.outputs.map((o: ArrayLike<number>) => Array.from(o)),
      clusters: document.querySelectorAll('#graph rect[data-group]').length,
      nodes: document.querySelectorAll('#graph g.node').length,
      error: document.getElementById('error')!.textContent ?? '',
    };
  });
}

/** Waits for the run after `before` runs to finish, and returns the page's view of it. */
async function settled(page: Page, before: number): Promise<PageView> {
  await page.waitForFunction(
    (n) => {
      const s = document.getElementById('status')!;
      return Number(s.dataset.runs ?? 0) > n && s.dataset.status !== 'running';
    },
    before,
    { timeout: 30_000 },
  );
  return view(page);
}

async function setState(page: Page, state: PageState): Promise<PageView> {
  const before = (await view(page)).runs;
  const hash = encodeState(state);
  // The page reruns on a hash change; the same state again is no change.
  if ((await page.evaluate(() => location.hash)) === hash) return view(page);
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  return settled(page, before);
}

/** The reference interpreter's outputs for the editor text, run here in Node on the page's inputs. */
function reference(code: string, shapes: string): TypedArray[] {
  const fn = evaluateUserCode(code);
  const inputs = parseShapes(shapes).map((s, i) => randn(s, i + 1));
  const graph = StaticGraph.capture(fn, ...inputs).graph;
  return interpret(
    graph,
    inputs.map((t) => t.dataSync() as TypedArray),
  ).map((t) => t.data);
}

describe.skipIf(!hasChromium)(`playground (${hasChromium ? 'chromium' : NO_CHROMIUM})`, () => {
  let devServer: ViteDevServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // The dev server is what `npm run playground` runs; the last test checks the static build.
    const { createServer } = await import('vite');
    devServer = await createServer({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'error',
      server: { port: 0, host: '127.0.0.1', hmr: false },
    });
    await devServer.listen();
    url = `http://127.0.0.1:${(devServer.httpServer!.address() as AddressInfo).port}/`;
    mkdirSync(artifacts, { recursive: true });
    browser = await launchChromium({ webgpu: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await devServer?.close();
  });

  it('loads, runs the default example and logs no console errors', async () => {
    await page.goto(url);
    const v = await settled(page, 0);
    expect(v.status).toBe('ok');
    expect(v.nodes).toBeGreaterThan(0);
    expect(v.clusters).toBeGreaterThan(0);
    // Hover text: op, type and the editor line that made the node (the W1 chain is on line 3).
    const titles = await page.$$eval('#graph g.node > title', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(titles.some((t) => /= sigmoid: float32\[4096\].*\nat editor line 3, column \d+/s.test(t))).toBe(
      true,
    );
    await page.screenshot({ path: join(artifacts, 'default.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('runs every gallery example on every backend the page offers, matching the interpreter', async () => {
    const { webgpu } = await view(page);
    const backends = ['js', 'wasm', ...(webgpu ? ['wgsl'] : [])];
    for (const example of EXAMPLES) {
      const expected = reference(example.code, example.shapes);
      for (const backend of backends) {
        const v = await setState(page, {
          code: example.code,
          shapes: example.shapes,
          pipeline: DEFAULT_STEPS,
          backend,
        });
        const label = `${example.id} on ${backend}`;
        expect(v.status, `${label}: ${v.error}`).toBe('ok');
        expect(v.check?.mismatch, label).toBeUndefined();
        const here = checkOutputs(
          v.outputs!.map((o) => Float32Array.from(o)),
          expected,
        );
        expect(here.mismatch, label).toBeUndefined();
        expect(here.elements, label).toBe(expected.reduce((n, e) => n + e.length, 0));
      }
      await page.screenshot({ path: join(artifacts, `${example.id}.png`) });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('shows the IR after each pass with its changes, the fusion report, the kernel program and generated code', async () => {
    const mlp = EXAMPLES.find((e) => e.id === 'mlp')!;
    await setState(page, { code: mlp.code, shapes: mlp.shapes, pipeline: DEFAULT_STEPS, backend: 'js' });
    const stages = await page.$$eval('#stage option', (os) => os.map((o) => o.textContent ?? ''));
    expect(stages).toEqual([
      'traced',
      ...DEFAULT_STEPS.map((s, i) => expect.stringMatching(`^${i + 1}\\. ${s.name}`)),
    ]);
    // The fusion pass annotates every node with its group: every node line is new.
    await page.selectOption('#stage', String(stages.length - 1));
    const changed = await page.$$eval('#ir div.changed', (ds) => ds.map((d) => d.textContent ?? ''));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((line) => / #g\d+$/.test(line))).toBe(true);
    // A pass that changed nothing highlights nothing.
    const idle = stages.findIndex((s) => s.endsWith('(no change)'));
    if (idle > 0) {
      await page.selectOption('#stage', String(idle));
      expect(await page.$$eval('#ir div.changed', (ds) => ds.length)).toBe(0);
    }
    expect(await page.textContent('#fusion')).toMatch(/fusion: \d+ kernel\(s\) for @f/);
    expect(await page.textContent('#program')).toMatch(/kernel k0 contraction/);
    expect(await page.textContent('#code pre[data-backend="js"]')).toMatch(/function kernel/);
    expect(await page.textContent('#code pre[data-backend="wgsl"]')).toMatch(/@compute/);
    expect(await page.textContent('#code pre[data-backend="wasm"]')).toMatch(
      /^;; one WebAssembly module, \d+ bytes/,
    );
    expect(await page.textContent('#code pre[data-backend="c"]')).toMatch(/static void k0\(/);
    expect(await page.textContent('#code pre[data-backend="c"]')).toMatch(/px_run\(/);
    expect(await page.textContent('#code pre[data-backend="cuda"]')).toMatch(/__launch_bounds__\(\d+\) k0\(/);
    expect(await page.$$eval('#chart rect[data-ms]', (rs) => rs.length)).toBe(2);
    // Back to the last stage: the optimized graph, followed by the next runs.
    await page.selectOption('#stage', String(stages.length - 1));
  });

  it('toggling the fusion pass changes the drawn graph, and the URL reproduces the state', async () => {
    const w1 = EXAMPLES[0]!;
    const fused = await setState(page, {
      code: w1.code,
      shapes: w1.shapes,
      pipeline: DEFAULT_STEPS,
      backend: 'js',
    });
    expect(fused.clusters).toBeGreaterThan(0);
    const graphBefore = await page.innerHTML('#graph');
    await page.click('#pass-fusion');
    const unfused = await settled(page, fused.runs);
    expect(unfused.status).toBe('ok');
    expect(unfused.clusters).toBe(0);
    expect(await page.innerHTML('#graph')).not.toBe(graphBefore);
    // Move layout before cse: the order is page state too.
    await page.click('li[data-pass="layout"] button.up');
    await settled(page, unfused.runs);
    const link = page.url();
    const state = await page.evaluate(() => (globalThis as any).playground.state());
    expect(state.pipeline.map((s: { name: string }) => s.name)).toEqual([
      'dce',
      'cse',
      'layout',
      'fold',
      'fusion',
    ]);
    const second = await browser.newPage();
    try {
      await second.goto(link);
      const v = await settled(second, 0);
      expect(v.status).toBe('ok');
      expect(v.clusters).toBe(0);
      expect(await second.evaluate(() => (globalThis as any).playground.state())).toEqual(state);
      expect(await second.isChecked('#pass-fusion')).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('shows a typed error with its call site in the editor text', async () => {
    const v = await setState(page, {
      code: 'return (x, w) => x.matmul(w);\n',
      shapes: '4x3, 5x2',
      pipeline: DEFAULT_STEPS,
      backend: 'js',
    });
    expect(v.status).toBe('error');
    expect(v.error).toMatch(/Error: .*matmul/);
    expect(v.error).toMatch(/playground-input\.js:1|editor line 1/);
    await page.screenshot({ path: join(artifacts, 'error.png') });
  });

  it('builds to static files that run the default example', async () => {
    const { build } = await import('vite');
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'error' });
    const server = await serveFolder(dist);
    const built = await browser.newPage();
    try {
      await built.goto(server.url);
      const v = await settled(built, 0);
      expect(v.status).toBe('ok');
      expect(v.check?.mismatch).toBeUndefined();
      expect(v.nodes).toBeGreaterThan(0);
    } finally {
      await built.close();
      server.close();
    }
    expect(consoleErrors).toEqual([]);
  });
});
