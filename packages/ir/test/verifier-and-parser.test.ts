import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloneGraph,
  type Graph,
  GraphBuilder,
  interpret,
  ParseError,
  parseGraph,
  printGraph,
  VerifyError,
  verifyGraph,
} from '../src/index.js';

const GOLDEN = join(import.meta.dirname, 'golden');

function sample(): Graph {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [4, 8] });
  const bias = b.input('b', { dtype: 'float32', shape: [8] });
  const y = b.op('broadcast', [bias], { shape: [4, 8] });
  const z = b.op('add', [x, y]);
  b.output(b.op('relu', [z]));
  return b.build();
}

describe('golden text files', () => {
  it('the DESIGN.md example prints exactly', () => {
    expect(printGraph(sample())).toBe(readFileSync(join(GOLDEN, 'design-example.pdx'), 'utf8'));
  });

  for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.pdx'))) {
    it(`${file} parses, verifies, and prints back byte for byte`, () => {
      const text = readFileSync(join(GOLDEN, file), 'utf8');
      const g = parseGraph(text);
      verifyGraph(g);
      expect(printGraph(g)).toBe(text);
    });
  }

  it('parsed values are exact (NaN, -0, int extremes, f16, locations, groups)', () => {
    const g = parseGraph(readFileSync(join(GOLDEN, 'all-features.pdx'), 'utf8'));
    expect(g.name).toBe('layer norm');
    expect(g.inputs.map((i) => i.id)).toEqual(['x', 'w 0', 'ids', 'm']);
    const c0 = Array.from(g.buffers[0]!);
    expect(c0[0]).toBe(Math.fround(0.1));
    expect(c0[1]).toBeNaN();
    expect(Object.is(c0[2], -0)).toBe(true);
    expect(c0[3]).toBe(-Infinity);
    expect(Array.from(g.buffers[2]!)).toEqual([1, -2, 2147483647, -2147483648]);
    expect(g.nodes[0]!.source).toEqual({ file: 'model.ts', line: 12, column: 5, fn: 'forward' });
    expect(g.nodes[4]!.source).toEqual({ file: 'model.ts', line: 13 });
    expect(g.nodes[0]!.group).toBe(0);
    expect(g.nodes[8]!.attrs).toEqual({ starts: [-1, 0], stops: [null, 2], steps: [-1, 1] });
    expect(g.nodes[9]!.attrs.value).toBeNaN();
    expect(g.nodes[13]!.attrs.value).toBe(1e-7);
    // and it runs
    const out = interpret(g, [
      new Float32Array(6).fill(1),
      new Float32Array(3).fill(2),
      new Int32Array([1, 2]),
      new Uint8Array([1, 0]),
    ]);
    expect(Array.from(out[0]!.data)).toEqual([1, 2]);
  });
});

describe('parse errors carry line and column', () => {
  const bad = (text: string, line: number, column: number, fragment: string) => {
    let err: unknown;
    try {
      parseGraph(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const p = err as ParseError;
    expect([p.line, p.column]).toEqual([line, column]);
    expect(p.message).toContain(fragment);
  };
  it('reports malformed text', () => {
    bad('', 1, 1, 'empty');
    bad('grph @f() {', 1, 1, 'graph');
    bad('graph @f(%x: f64[2]) {\n  return %x\n}', 1, 14, "unknown dtype 'f64'");
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x,\n  return %0\n}', 2, 23, "expected '%'");
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x {a=}\n  return %0\n}', 2, 26, 'attribute value');
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x\n}', 3, 1, 'missing `return`');
    bad('graph @f(%x: f32[2]) {\n  return %x', 2, 12, 'missing `}`');
    bad('graph @f(%x: f32[2]) {\n  %c: f32[3] = const [1,2]\n  return %x\n}', 2, 16, 'const has 2 elements');
    bad('graph @f(%x: f32[2]) {\n  %0: f32[-2] = neg %x\n  return %0\n}', 2, 11, 'negative dimension');
    bad('graph @f(%x: f32[2]) {\n  return %x\n}\nextra', 4, 1, 'after the closing brace');
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x {a=1, a=2}\n  return %0\n}', 2, 29, "'a' given twice");
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x loc("a.ts":x)\n  return %0\n}', 2, 34, 'line number');
    bad('graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x #g-1\n  return %0\n}', 2, 25, 'non-negative');
  });

  it('semantic errors after parsing are VerifyErrors', () => {
    expect(() => parseGraph('graph @f(%x: f32[2]) {\n  %0: f32[3] = neg %x\n  return %0\n}')).toThrow(
      VerifyError,
    );
    expect(() => parseGraph('graph @f(%x: f32[2]) {\n  %0: f32[2] = nope %x\n  return %0\n}')).toThrow(
      /unknown op 'nope'/,
    );
    expect(() => parseGraph('graph @f(%x: f32[2]) {\n  return %y\n}')).toThrow(/output %y is not defined/);
  });

  it('ignores blank and comment lines', () => {
    const g = parseGraph(
      '// header\ngraph @f(%x: f32[2]) {\n\n  // body\n  %0: f32[2] = neg %x\n  return %0\n}\n',
    );
    expect(g.nodes).toHaveLength(1);
  });
});

describe('verifyGraph', () => {
  const fails = (mutate: (g: Graph) => void, ...fragments: string[]) => {
    const g = cloneGraph(sample());
    mutate(g);
    let err: unknown;
    try {
      verifyGraph(g);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerifyError);
    for (const f of fragments) expect((err as Error).message).toContain(f);
    return err as VerifyError;
  };

  it('accepts well-formed graphs', () => {
    expect(() => verifyGraph(sample())).not.toThrow();
  });

  it('names the node and shows the printed graph around it with a marker', () => {
    const e = fails(
      (g) => {
        g.nodes[1]!.type = { dtype: 'float32', shape: [4, 9] };
      },
      'node %1 (add)',
      'f32[4,9]',
      'type rule gives f32[4,8]',
    );
    expect(e.excerpt).toContain('> ');
    expect(e.excerpt!.split('\n').find((l) => l.startsWith('>'))).toContain('%1: f32[4,9] = add %x, %0');
  });

  it('rejects each broken invariant', () => {
    fails((g) => {
      g.nodes[1]!.id = '0';
    }, 'defined more than once');
    fails((g) => {
      g.nodes[0]!.inputs = ['nope'];
    }, 'operand %nope is not defined');
    fails((g) => {
      g.nodes.reverse();
    }, 'not defined before this node');
    fails((g) => {
      g.nodes[2]!.op = 'relux';
    }, "unknown op 'relux'");
    fails((g) => {
      g.nodes[2]!.inputs.push('x');
    }, 'expected 1 input');
    fails((g) => {
      g.nodes[0]!.attrs = { shape: [4, 8], extra: 1 };
    }, 'extra');
    fails((g) => {
      g.nodes[1]!.type = { dtype: 'int32', shape: [4, 8] };
    }, 'i32[4,8]');
    fails((g) => {
      g.outputs = ['missing'];
    }, 'output %missing');
    fails((g) => {
      g.inputs[0]!.type = { dtype: 'float64' as never, shape: [4, 8] };
    }, "unknown dtype 'float64'");
    fails((g) => {
      g.inputs[0]!.type = { dtype: 'float32', shape: [4, -8] };
    }, 'invalid shape');
    fails((g) => {
      g.nodes[2]!.group = -1;
    }, 'group');
  });

  it('requires canonical attrs (normalized axes)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
    b.output(b.op('sum', [x], { axes: [-1], keepdims: false }));
    const g = b.build();
    expect(g.nodes[0]!.attrs).toEqual({ axes: [1], keepdims: false });
    g.nodes[0]!.attrs = { axes: [-1], keepdims: false };
    expect(() => verifyGraph(g)).toThrow(/not canonical.*"axes":\[1\]/);
    g.nodes[0]!.attrs = { keepdims: false, axes: [1] }; // key order does not matter
    expect(() => verifyGraph(g)).not.toThrow();
  });

  it('checks constants against their buffers', () => {
    const b = new GraphBuilder();
    const c = b.constant([1, 2, 3], [3], 'float32');
    b.output(c);
    const g = b.build();
    const wrongLength = { ...g, buffers: [new Float32Array(2)] };
    expect(() => verifyGraph(wrongLength)).toThrow(/2 elements, f32\[3\] needs 3/);
    const wrongStorage = { ...g, buffers: [new Int32Array(3)] };
    expect(() => verifyGraph(wrongStorage)).toThrow(/Int32Array, float32 needs Float32Array/);
    const missing = { ...g, buffers: [] };
    expect(() => verifyGraph(missing)).toThrow(/buffer 0 does not exist/);
  });

  it('survives garbage without crashing', () => {
    expect(() => verifyGraph({} as Graph)).toThrow(VerifyError);
    expect(() => verifyGraph({ ...sample(), nodes: [{ id: '0' } as never] })).toThrow(VerifyError);
  });
});

describe('GraphBuilder', () => {
  it('numbers nodes around names taken by inputs, and rejects bad use', () => {
    const b = new GraphBuilder();
    const x = b.input('0', { dtype: 'float32', shape: [2] });
    const y = b.op('neg', [x]);
    expect(y).toBe('1');
    expect(() => b.input('1', { dtype: 'float32', shape: [] })).toThrow(/already defined/);
    expect(() => b.op('neg', ['nope'])).toThrow(/%nope is not defined/);
    expect(() => b.constant([1, 2], [3], 'float32')).toThrow(/do not fill/);
    expect(() => b.output('nope')).toThrow(/not defined/);
    expect(() => verifyGraph(b.output(y).build())).not.toThrow();
  });
});
