/**
 * Browser test: @paradox/backend-wasm bundled with esbuild runs a jitted MLP and a softmax on 'wasm'
 * in headless Debian chromium, in a page served from 127.0.0.1; results are compared with the
 * reference interpreter here. Needs /usr/bin/chromium; skipped with that message when it is absent.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareArrays, DEFAULT_TOLERANCE } from '@paradox/backend-conformance';
import { GraphBuilder, interpret } from '@paradox/ir';
import {
  bundleForBrowser,
  CROSS_ORIGIN_ISOLATED,
  hasChromium,
  launchChromium,
  modulePage,
  NO_CHROMIUM,
  type PageServer,
  serve,
} from '@paradox/testing-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

const SHAPES = { x: [8, 16], w1: [16, 12], b1: [12], w2: [12, 5], b2: [5], s: [6, 37] };
type Name = keyof typeof SHAPES;

function values(name: Name, seed: number): number[] {
  const n = SHAPES[name].reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37 + seed) * 1.5));
}

/** The reference: the same MLP and softmax as graphs, run by the interpreter. */
function reference(inputs: Record<Name, number[]>): { mlp: Float32Array; softmax: Float32Array } {
  const b = new GraphBuilder('mlp');
  const [x, w1, b1, w2, b2] = (['x', 'w1', 'b1', 'w2', 'b2'] as const).map((k) =>
    b.input(k, { dtype: 'float32', shape: SHAPES[k] }),
  );
  const h = b.op('relu', [
    b.op('add', [b.op('matmul', [x!, w1!]), b.op('broadcast', [b1!], { shape: [8, 12] })]),
  ]);
  const y = b.op('add', [b.op('matmul', [h, w2!]), b.op('broadcast', [b2!], { shape: [8, 5] })]);
  const mlp = b.output(y).build();
  const sb = new GraphBuilder('softmax');
  const s = sb.input('s', { dtype: 'float32', shape: SHAPES.s });
  const m = sb.op('broadcast', [sb.op('max', [s], { axes: [1], keepdims: true })], { shape: SHAPES.s });
  const e = sb.op('exp', [sb.op('sub', [s, m])]);
  const sum = sb.op('broadcast', [sb.op('sum', [e], { axes: [1], keepdims: true })], { shape: SHAPES.s });
  const softmax = sb.output(sb.op('div', [e, sum])).build();
  const f32 = (k: Name) => Float32Array.from(inputs[k]);
  return {
    mlp: interpret(mlp, [f32('x'), f32('w1'), f32('b1'), f32('w2'), f32('b2')])[0]!.data as Float32Array,
    softmax: interpret(softmax, [f32('s')])[0]!.data as Float32Array,
  };
}

describe.skipIf(!hasChromium)(`browser (${hasChromium ? 'chromium' : NO_CHROMIUM})`, () => {
  let server: PageServer;
  let url: string;
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleForBrowser(join(here, 'browser/entry.ts'));
    const html = modulePage('paradox wasm');
    // '/isolated' is served cross-origin isolated (COOP + COEP), so it has SharedArrayBuffer.
    server = await serve((path) =>
      path === '/bundle.js'
        ? { body: bundle, type: 'text/javascript', headers: CROSS_ORIGIN_ISOLATED }
        : path === '/' || path === '/isolated'
          ? {
              body: html,
              type: 'text/html',
              ...(path === '/isolated' ? { headers: CROSS_ORIGIN_ISOLATED } : {}),
            }
          : undefined,
    );
    url = server.url;
  });

  afterAll(() => {
    server?.close();
  });

  it('the bundle has no Node-only imports', () => {
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });

  /** Opens `path`, runs the MLP and softmax there on `threads` threads, checks them; returns the page's report. */
  async function runInPage(path: string, threads: number): Promise<Record<string, unknown>> {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url + path.slice(1));
      await page.waitForFunction(() => 'paradoxWasm' in globalThis, undefined, { timeout: 30_000 });
      const inputs = Object.fromEntries(
        (Object.keys(SHAPES) as Name[]).map((k, i) => [k, values(k, i + 1)]),
      ) as Record<Name, number[]>;
      const result = await page.evaluate(
        ({ arg, threads }) =>
          (
            globalThis as unknown as {
              paradoxWasm: (i: unknown, t: number) => Promise<Record<string, unknown>>;
            }
          ).paradoxWasm(arg, threads),
        { arg: { ...inputs, shapes: SHAPES }, threads },
      );
      expect(errors).toEqual([]);
      expect(result.wasmIsRegistered).toBe(true);
      const want = reference(inputs);
      for (const k of ['mlp', 'softmax'] as const) {
        const got = Float32Array.from(result[k] as number[]);
        expect(got.length).toBe(want[k].length);
        expect(compareArrays(got, want[k], 'float32', { tolerance: DEFAULT_TOLERANCE }), k).toBeUndefined();
      }
      return result;
    } finally {
      await browser.close();
    }
  }

  it('runs a jitted MLP and softmax on wasm in the page, matching the interpreter', async () => {
    const result = await runInPage('/', 1);
    // Chromium has SIMD128, so importing the package made wasm the page's default backend.
    expect(result.simd).toBe(true);
    expect(result.defaultBackend).toBe('wasm');
    // Not cross-origin isolated: no shared memory, so the backend is single-threaded there.
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.threads).toBe(false);
  });

  it('runs them on 3 threads (Blob-URL workers over shared memory) in a cross-origin isolated page', async () => {
    const result = await runInPage('/isolated', 3);
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.threads).toBe(true);
    expect(result.backendThreads).toBe(3);
    // After the page yielded, kernels were split over the workers.
    expect(result.parallelRuns).toBeGreaterThan(0);
  });
});
