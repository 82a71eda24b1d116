import { BackendError } from '@paradox/backend';
import { IrError } from '@paradox/ir';
import { type Tensor, TracerError, tensor, zeros } from '@paradox/tracer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JitError, JitExportError, JitLoadLimitError, jit, loadCompiled } from '../src/index.js';
import { expectValues } from './helpers.js';

/** A valid export: x (f32[2,2]) -> exp(x).add(1).sum(0).mul(2), a one-kernel reduce program. */
function baseExport(): string {
  const f = jit((x: Tensor) => x.exp().add(1).sum(0).mul(2));
  f(
    tensor([
      [1, 2],
      [3, 4],
    ]),
  );
  return f.export();
}
const BASE = baseExport();
const base = (): any => JSON.parse(BASE);
const X = () =>
  tensor([
    [0, 0],
    [0, 0],
  ]);

const typed = (e: unknown): boolean =>
  e instanceof JitError || e instanceof IrError || e instanceof BackendError || e instanceof TracerError;

describe('loadCompiled on hostile documents (issue 24 item 5)', () => {
  it('loads and runs the unmodified export', () => {
    expectValues(loadCompiled(BASE).run(X()), [8, 8]);
    expectValues(loadCompiled(base()).run(X()), [8, 8]);
  });

  it('a 2^45-byte memory slot is refused at load (JitLoadLimitError), not at allocation', () => {
    const d = base();
    const p = d.program.program;
    // A temp between the kernel and the output would live in the slot; the slot alone must be counted.
    p.slots = [{ id: 0, bytes: 2 ** 45 }];
    expect(() => loadCompiled(d)).toThrow(JitLoadLimitError);
    expect(() => loadCompiled(d)).toThrow(/35184372088856 bytes/);
  });

  it('a 2^40-element output is refused at load, naming the limit', () => {
    const d = base();
    const p = d.program.program;
    p.buffers[1].size = 2 ** 40;
    p.outputShapes = [[2 ** 40]];
    p.kernels[0].domain = [2 ** 40];
    p.kernels[0].exprs[0].index = { k: 'mod', a: { k: 'axis', axis: 0 }, c: 4 };
    expect(() => loadCompiled(d)).toThrow(JitLoadLimitError);
    expect(() => loadCompiled(d)).toThrow(/maxBufferBytes/);
    // A caller who trusts the program can raise the limit (the iteration limit still holds).
    expect(() => loadCompiled(d, { maxBufferBytes: Infinity })).toThrow(
      /kernel k0 runs 2199023255552 iterations/,
    );
  });

  it('a kernel with 2^40 iterations is refused; the limit is configurable', () => {
    const d = base();
    const k = d.program.program.kernels[0];
    k.reduce.shape = [2 ** 39];
    k.exprs[0].index = {
      k: 'add',
      a: { k: 'mod', a: { k: 'raxis', axis: 0 }, c: 2 },
      b: { k: 'mul', a: { k: 'axis', axis: 0 }, c: 2 },
    };
    expect(() => loadCompiled(d)).toThrow(JitLoadLimitError);
    const small = base();
    expect(() => loadCompiled(small, { maxKernelIterations: 3 })).toThrow(/kernel k0 runs 4 iterations/);
    expect(() => loadCompiled(small, { maxBufferBytes: 8 })).toThrow(/24 bytes/);
    expect(() => loadCompiled(small, { maxBufferBytes: -1 })).toThrow(JitError);
  });

  it('50,000-deep trees, as text and as objects', () => {
    const text = BASE.replace(
      '"outputTree":{"leaf":true}',
      `"outputTree":${'{"array":['.repeat(50_000)}{"leaf":true}${']}'.repeat(50_000)}`,
    );
    expect(() => loadCompiled(text)).toThrow(/nested deeper than 256/);
    const d = base();
    let deep: unknown = { leaf: true };
    for (let i = 0; i < 50_000; i++) deep = { array: [deep] };
    d.inputTree = deep;
    expect(() => loadCompiled(d)).toThrow(JitExportError);
  });

  it('cyclic, throwing and Proxy objects instead of text', () => {
    const cyclic = base();
    cyclic.program.program.self = cyclic;
    expect(() => loadCompiled(cyclic)).toThrow(/not plain JSON data/);
    const getter = base();
    Object.defineProperty(getter.program, 'program', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => loadCompiled(getter)).toThrow(JitExportError);
    const trap = new Proxy(base(), {
      ownKeys() {
        throw new TypeError('trap');
      },
    });
    expect(() => loadCompiled(trap)).toThrow(JitExportError);
    for (const odd of [undefined, null, 3, () => 1, Symbol('s'), 10n, [BASE]]) {
      expect(() => loadCompiled(odd)).toThrow(JitExportError);
    }
  });

  it('a wrong output leaf count or input type is caught at load, not at run()', () => {
    const twoLeaves = base();
    twoLeaves.outputTree = { array: [{ leaf: true }, { leaf: true }] };
    expect(() => loadCompiled(twoLeaves)).toThrow(/1 output\(s\) but outputTree has 2 leaves/);
    const wrongType = base();
    wrongType.leafTypes = [{ dtype: 'int32', shape: [2, 2] }];
    expect(() => loadCompiled(wrongType)).toThrow(/program input 0 is float32\[2,2\]/);
  });

  it('unknown load options are refused with a suggestion', () => {
    expect(() => loadCompiled(BASE, { bakend: 'js' } as never)).toThrow(
      /unknown option 'bakend' \(did you mean 'backend'\?\)/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Seeded fuzz: mutated documents as objects (with cycles, getters, Proxies) and as text.

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...paths(x, [...prefix, i]));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

const PATHS = paths(base()).filter((p) => p.length > 0);

/** A hostile value for a field: numbers at the edges, wrong types, deep nesting, cycles, getters, Proxies. */
function hostile(kind: number, n: number): unknown {
  switch (kind) {
    case 0:
      return [0, -1, 2 ** 31, 2 ** 45, 2 ** 53, -0, 0.5, 1e308][n % 8];
    case 1:
      return ['', 'x', '__proto__', 'constructor', 'k0', 'float16', 'temp'][n % 7];
    case 2:
      return [null, true, false, [], {}][n % 5];
    case 3: {
      let deep: unknown = 1;
      for (let i = 0; i < 20_000; i++) deep = [deep];
      return deep;
    }
    case 4: {
      const cyc: any = { a: 1 };
      cyc.self = cyc;
      return cyc;
    }
    case 5:
      return Object.defineProperty({}, 'x', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      });
    default:
      return new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('proxy');
          },
        },
      );
  }
}

function setPath(root: any, path: (string | number)[], value: unknown): void {
  let cur = root;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1]!] = value;
}

/** Loads `doc` with small limits and, when it loads, runs it: only typed errors may escape. */
function loadsCleanly(doc: unknown): 'loaded' | 'rejected' {
  let c: ReturnType<typeof loadCompiled>;
  try {
    c = loadCompiled(doc, { maxBufferBytes: 2 ** 20, maxKernelIterations: 2 ** 16 });
  } catch (e) {
    expect(typed(e), String((e as Error)?.stack ?? e)).toBe(true);
    return 'rejected';
  }
  try {
    const [leaf] = c.layout.signature.leafTypes;
    const r = leaf ? c.run(zeros(leaf.shape as number[], leaf.dtype)) : c.run();
    for (const t of [r].flat(Infinity) as Tensor[])
      if (t && typeof t === 'object' && 'dataSync' in t) t.dataSync();
  } catch (e) {
    expect(typed(e), String((e as Error)?.stack ?? e)).toBe(true);
  }
  return 'loaded';
}

describe('loadCompiled fuzz (seeded)', () => {
  it('mutated objects: only typed errors, nothing hangs', () => {
    const outcomes = { loaded: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.nat(PATHS.length - 1), fc.nat(6), fc.nat(1000), (p, kind, n) => {
        const doc = base();
        setPath(doc, PATHS[p]!, hostile(kind, n));
        outcomes[loadsCleanly(doc)]++;
      }),
      { seed: 24_5, numRuns: 600 },
    );
    expect(outcomes.rejected).toBeGreaterThan(300);
  });

  it('mutated text (truncation, byte flips, splices): only typed errors', () => {
    fc.assert(
      fc.property(
        fc.nat(BASE.length - 1),
        fc.nat(BASE.length - 1),
        fc.string({ maxLength: 8 }),
        (a, b, insert) => {
          const [i, j] = a < b ? [a, b] : [b, a];
          loadsCleanly(BASE.slice(0, i) + insert + BASE.slice(j));
          loadsCleanly(BASE.slice(0, i));
        },
      ),
      { seed: 24_6, numRuns: 400 },
    );
  });
});

describe('loadCompiled given an object keeps non-finite numbers', () => {
  it('a NaN pad value in an object document is NaN, not null', () => {
    const f = jit((x: Tensor) => x.pad([[1, 0]], NaN));
    f(tensor([1]));
    const text = f.export();
    expect(text).toContain('{"$num":"nan"}');
    // The document as a caller holding it as an object has it: the NaN as a number.
    const doc = JSON.parse(text.replaceAll('{"$num":"nan"}', '"NaN!"'), (_k, v) => (v === 'NaN!' ? NaN : v));
    const out = Array.from((loadCompiled(doc).run(tensor([5])) as Tensor).dataSync());
    expect(out).toEqual([NaN, 5]);
  });
});
