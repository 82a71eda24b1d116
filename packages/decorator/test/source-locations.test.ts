/**
 * The jit traces a miss without call sites (a stack capture per op is most of a trace's cost) and
 * traces again with them when they are shown: a compile error, the fallback's warning, inspect(x).
 */
import { type Backend, registerBackend, unregisterBackend } from '@paradox/backend';
import { createJsBackend } from '@paradox/backend-js';
import { type Tensor, tensor, trace, withTraceOptions } from '@paradox/tracer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JitFallbackError, jit } from '../src/index.js';
import { expectValues } from './helpers.js';

/** The line of the caller of this function in this file. */
function lineHere(): number {
  const line = new Error().stack!.split('\n')[2]!;
  return Number(/source-locations\.test\.ts:(\d+):\d+/.exec(line)![1]);
}

/** backend-js under another name, without `sin`. */
function noSin(): Backend {
  const inner = createJsBackend({ name: 'no-sin-loc' });
  return {
    ...inner,
    capabilities: {
      ...inner.capabilities,
      ops: new Set([...inner.capabilities.ops].filter((o) => o !== 'sin')),
    },
  };
}

beforeAll(() => registerBackend(noSin()));
afterAll(() => unregisterBackend('no-sin-loc'));
afterEach(() => vi.restoreAllMocks());

describe('source locations of jit traces', () => {
  it("a compile error names the user's line though the jit traced without call sites", () => {
    let calls = 0;
    let sinLine = 0;
    const f = jit(
      (x: Tensor) => {
        calls++;
        sinLine = lineHere() + 1;
        return x.mul(2).sin();
      },
      { backend: 'no-sin-loc', fallback: 'error' },
    );
    let error: unknown;
    try {
      f(tensor([1, 2]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JitFallbackError);
    expect((error as Error).message).toContain(`source-locations.test.ts:${sinLine}:`);
    expect(calls).toBe(2); // traced without call sites, then again with them for the error
  });

  it("the fallback's warning names the user's line", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let sinLine = 0;
    const f = jit(
      (x: Tensor) => {
        sinLine = lineHere() + 1;
        return x.sin();
      },
      { backend: 'no-sin-loc' },
    );
    expectValues(f(tensor([0])), [0]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(`source-locations.test.ts:${sinLine}:`);
  });

  it('a successful miss records no call sites; inspect(x) traces again and shows them', () => {
    let negLine = 0;
    const f = jit(
      (x: Tensor) => {
        negLine = lineHere() + 1;
        return x.neg().exp();
      },
      { backend: 'js' },
    );
    const x = tensor([1, 2, 3]);
    expectValues(f(x), [Math.exp(-1), Math.exp(-2), Math.exp(-3)]);
    expect(f.inspect().traced).not.toContain('loc(');
    const shown = f.inspect(x);
    expect(shown.traced).toMatch(
      new RegExp(`= neg %x loc\\("[^"]*source-locations\\.test\\.ts":${negLine}:`),
    );
    expect(shown.optimized).toContain('source-locations.test.ts');
    expect(shown.program).toBe(f.inspect().program);
    expect(f.cacheInfo()).toMatchObject({ misses: 1, traces: 1 });
  });

  it('debug: true traces with call sites', () => {
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    const f = jit((x: Tensor) => x.neg(), { backend: 'js', debug: true });
    f(tensor([1]));
    expect(f.inspect().traced).toMatch(/neg %x loc\("[^"]*source-locations\.test\.ts":\d+:\d+/);
  });

  it('withTraceOptions({ sourceLocations: false }) traces nodes without a source; trace() records them by default', () => {
    const fn = (x: Tensor) => x.neg().add(1);
    const plain = withTraceOptions({ sourceLocations: false }, () => trace(fn, tensor([1, 2])));
    expect(plain.nodes.length).toBeGreaterThan(1);
    for (const n of plain.nodes) expect(n.source).toBeUndefined();
    for (const n of trace(fn, tensor([1, 2])).nodes)
      expect(n.source?.file).toMatch(/source-locations\.test\.ts$/);
  });
});
