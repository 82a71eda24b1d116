import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deserializeGraph,
  IrError,
  parseGraph,
  printGraph,
  serializeGraph,
  verifyGraph,
} from '../src/index.js';
import { randomGraph } from '../src/testing/index.js';

/** Every JSON path (list of keys) inside a value. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...paths(x, [...prefix, i]));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setPath(root: any, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let cur = root;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1]!] = value;
  return root;
}

/** Either a valid graph or a typed IrError: never another exception, never an unverified graph. */
function loadsCleanly(load: () => unknown): void {
  let g: unknown;
  try {
    g = load();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(IrError);
    return;
  }
  expect(() => verifyGraph(g as never)).not.toThrow();
}

describe('hostile input never crashes', () => {
  it('deserializeGraph: any field replaced by any JSON value', () => {
    fc.assert(
      fc.property(
        randomGraph(fc, { maxSteps: 4 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        ({ graph }, pick, junk) => {
          const doc = JSON.parse(serializeGraph(graph));
          const all = paths(doc);
          const mutated = setPath(doc, all[pick % all.length]!, junk);
          loadsCleanly(() => deserializeGraph(JSON.stringify(mutated)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('deserializeGraph: arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => loadsCleanly(() => deserializeGraph(s))),
      { numRuns: 200 },
    );
  });

  it('parseGraph: printed text with characters deleted, inserted or replaced', () => {
    const edit = fc.record({
      at: fc.nat(),
      len: fc.integer({ min: 0, max: 4 }),
      insert: fc.string({ maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        randomGraph(fc, { maxSteps: 4 }),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        ({ graph }, edits) => {
          let text = printGraph(graph);
          for (const { at, len, insert } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + len);
          }
          loadsCleanly(() => parseGraph(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('pathological documents', () => {
  it('absurdly deep nesting is a typed error, not a stack overflow', async () => {
    const { deserializeProgram } = await import('../src/index.js');
    let index = '{"k":"axis","axis":0}';
    for (let i = 0; i < 20000; i++) index = `{"k":"add","a":${index},"b":{"k":"const","v":0}}`;
    const doc = `{"irVersion":"1.0","kind":"program","program":{"name":"p","buffers":[{"id":0,"dtype":"float32","size":1,"kind":"output"}],"kernels":[{"name":"k0","kind":"elementwise","domain":[1],"exprs":[{"op":"const","dtype":"float32","value":1}],"stores":[{"buffer":0,"index":${index},"value":0}]}],"inputs":[],"outputs":[0],"outputShapes":[[1]],"inputShapes":[],"slots":[],"constants":[]}}`;
    expect(() => deserializeProgram(doc)).toThrow(IrError);
  });

  it('deeply nested attribute lists are a ParseError', () => {
    const deep = `${'['.repeat(50000)}1${']'.repeat(50000)}`;
    expect(() =>
      parseGraph(`graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x {a=${deep}}\n  return %0\n}`),
    ).toThrow(IrError);
    expect(() => parseGraph(42 as never)).toThrow(IrError);
  });
});
