import {
  BufferMismatchError,
  getBackend,
  listBackends,
  MalformedProgramError,
  UnsupportedDtypeError,
  UnsupportedOpError,
} from '@paradox/backend';
import { execute } from '@paradox/backend-conformance';
import { createJsBackend, jsBackend, renderKernel } from '@paradox/backend-js';
import { GraphBuilder, interpret, type Kernel, type KernelProgram, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { withoutOuterFround } from '../src/kernel-analysis.js';

const HOSTILE = "pwn'); globalThis.__pwned = 1; //";

function hostileGraph() {
  const b = new GraphBuilder(HOSTILE);
  const x = b.input(`x${HOSTILE}`, { dtype: 'float32', shape: [3, 4] });
  const y = b.op('pad', [b.op('exp', [x])], {
    pads: [
      [1, 0],
      [0, 2],
    ],
    value: 1.5,
  });
  const g = b.output(b.op('sum', [y], { axes: [1], keepdims: false })).build();
  for (const n of g.nodes) {
    n.source = { file: HOSTILE, line: 1, fn: HOSTILE };
  }
  g.nodes[0]!.id = `n${HOSTILE}`;
  g.nodes[1]!.inputs = [`n${HOSTILE}`];
  return g;
}

describe('generated source', () => {
  it('never contains strings from the IR (names, ids, source locations)', () => {
    const graph = hostileGraph();
    const program = lowerGraph(graph);
    for (const k of program.kernels) k.sourceNodes = [HOSTILE];
    // Kernel names are compiler-made identifiers: a hostile one is rejected before anything renders.
    program.kernels[0]!.name = HOSTILE;
    expect(() => jsBackend.render(program)).toThrow(VerifyError);
    expect(() => jsBackend.compile(program)).toThrow('kernel names must be unique identifiers');
    program.kernels[0]!.name = 'k0';
    const text = jsBackend.render(program);
    expect(text).not.toContain('pwn');
    expect(text).not.toContain('__pwned');
    const exe = jsBackend.compile(program);
    for (const s of exe.sources) expect(s).not.toContain('pwn');
    const input = Float32Array.from({ length: 12 }, (_, i) => i / 7);
    const buffer = jsBackend.allocate('float32', 12);
    jsBackend.upload(buffer, input);
    const [out] = exe.run([buffer]);
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    const expected = interpret(graph, [input])[0]!.data;
    const got = jsBackend.download(out!) as Float32Array;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
  });

  it('rejects non-numeric constants and unknown ops with typed errors', () => {
    const base: Kernel = {
      name: 'k0',
      kind: 'elementwise',
      domain: [2],
      exprs: [{ op: 'const', dtype: 'float32', value: `1); ${HOSTILE}` as unknown as number }],
      stores: [{ buffer: 0, index: { k: 'axis', axis: 0 }, value: 0 }],
    };
    expect(() => renderKernel(base, 'kernel 0')).toThrow(MalformedProgramError);
    const badOp = {
      ...base,
      exprs: [
        { op: 'const', dtype: 'float32', value: 1 },
        { op: 'unary', fn: 'constructor', dtype: 'float32', a: 0 },
      ],
    } as Kernel;
    expect(() => renderKernel({ ...badOp, stores: [{ ...base.stores[0]!, value: 1 }] }, 'kernel 0')).toThrow(
      UnsupportedOpError,
    );
    const badIndex = {
      ...base,
      exprs: [{ op: 'const', dtype: 'float32', value: 1 }],
      stores: [{ buffer: 0, index: { k: 'const', v: '0]; evil(); [' }, value: 0 }],
    } as unknown as Kernel;
    expect(() => renderKernel(badIndex, 'kernel 0')).toThrow(MalformedProgramError);
  });

  it('formats NaN, infinities and -0 constants so they survive into the kernel', () => {
    const b = new GraphBuilder('consts');
    const x = b.input('x', { dtype: 'float32', shape: [4] });
    const c = b.constant([NaN, Infinity, -Infinity, -0], [4], 'float32');
    const g = b
      .output(
        b.op('mul', [
          x,
          b.op('add', [
            c,
            b.op('broadcast', [b.op('constant', [], { value: -0, dtype: 'float32' })], { shape: [4] }),
          ]),
        ]),
      )
      .build();
    const program = lowerGraph(g);
    const exe = jsBackend.compile(program);
    const input = Float32Array.from([2, 2, 2, 2]);
    const buf = jsBackend.allocate('float32', 4);
    jsBackend.upload(buf, input);
    const got = jsBackend.download(exe.run([buf])[0]!) as Float32Array;
    const expected = interpret(g, [input])[0]!.data;
    expect([...got].map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
      [...expected].map((v) => (Object.is(v, -0) ? '-0' : String(v))),
    );
  });
});

describe('float32 rounding before stores', () => {
  it('skips the last Math.fround of a value only stores read, and keeps results exact', () => {
    // y = x * 3 + 1 is stored; t = x * 3 is also read by the add, so it keeps its rounding.
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [64] });
    const t = b.op('mul', [x, b.constant([3], [], 'float32')]);
    const g = b.output(b.op('add', [t, b.op('exp', [x])])).build();
    for (const n of g.nodes) n.group = 0; // one fused kernel
    const program = lowerGraph(g);
    expect(program.kernels).toHaveLength(1);
    const { source } = renderKernel(program.kernels[0]!, 'kernel 0');
    expect(source).toMatch(/= Math\.fround\(v\d+ \* v\d+\);/);
    expect(source).toMatch(/= v\d+ \+ v\d+;/);
    const input = Float32Array.from({ length: 64 }, (_, i) => (i - 32) * 1.37e37 * (i % 2 ? 1 : 1e-37));
    const got = execute(jsBackend, jsBackend.compile(program), program, [input]);
    return got.then(([y]) => expect(Array.from(y!)).toEqual(Array.from(interpret(g, [input])[0]!.data)));
  });

  it('only strips a call that spans the whole expression', () => {
    expect(withoutOuterFround('Math.fround(a + b)')).toBe('a + b');
    expect(withoutOuterFround('Math.fround(1 / (1 + rt.exp32(-a)))')).toBe('1 / (1 + rt.exp32(-a))');
    expect(withoutOuterFround('Math.fround(a) + Math.fround(b)')).toBe('Math.fround(a) + Math.fround(b)');
    expect(withoutOuterFround('Math.max(a, b)')).toBe('Math.max(a, b)');
  });
});

describe('deep elementwise chains (op by op over tiles)', () => {
  /**
   * A serial chain of `depth` ops on `v`, rounding every step, with a scalar input, an int32 round
   * trip and a select; it keeps the inputs apart (nothing saturates), so a wrong element shows.
   */
  function deepChain(b: GraphBuilder, v: string, scalar: string, depth: number): string {
    const f = (x: number) => b.constant([x], [], 'float32');
    for (let k = 0; k < depth; k++) {
      switch (k % 6) {
        case 0:
          v = b.op('mul', [v, scalar]);
          break;
        case 1:
          v = b.op('tanh', [b.op('add', [v, f(0.125)])]);
          break;
        case 2:
          v = b.op('where', [b.op('gt', [v, f(0.25)]), v, b.op('mul', [v, f(0.5)])]);
          break;
        case 3: {
          const steps = b.op('cast', [b.op('cast', [b.op('mul', [v, f(8)])], { dtype: 'int32' })], {
            dtype: 'float32',
          });
          v = b.op('add', [v, b.op('mul', [steps, f(0.0625)])]);
          break;
        }
        case 4:
          v = b.op('sigmoid', [b.op('mul', [v, f(2)])]);
          break;
        default:
          v = b.op('sub', [b.op('mul', [v, f(5)]), f(2.5)]);
      }
    }
    return v;
  }

  const data = (n: number, seed: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 3);

  async function check(g: ReturnType<GraphBuilder['build']>, inputs: Float32Array[]): Promise<string> {
    for (const n of g.nodes) n.group = 0; // one fused kernel
    const program = lowerGraph(g);
    expect(program.kernels).toHaveLength(1);
    const source = renderKernel(program.kernels[0]!, 'kernel 0').source;
    const got = await execute(jsBackend, jsBackend.compile(program), program, inputs);
    interpret(g, inputs).forEach((want, i) => {
      expect(new Set(want.data).size).toBeGreaterThan(want.data.length / 2); // not a constant
      expect(Array.from(got[i]!)).toEqual(Array.from(want.data));
    });
    return source;
  }

  it('match the reference exactly over a ragged last tile, with a scalar input and two outputs', async () => {
    // 200 elements: tiles of 64, 64, 64 and 8; `mid` is an output and also read further on.
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [8, 25] });
    const s = b.op('broadcast', [b.input('s', { dtype: 'float32', shape: [] })], { shape: [8, 25] });
    // Adding x back keeps the outputs distinct however much the chain squashes them.
    const mid = b.op('add', [deepChain(b, x, s, 24), x]);
    const g = b.output(mid, b.op('add', [deepChain(b, mid, s, 24), x])).build();
    const source = await check(g, [data(200, 1), Float32Array.of(1.125)]);
    expect(source).toContain('function stage0(');
    expect(source).toContain('b += 64');
  });

  it('read a transposed input through its strides', async () => {
    const b = new GraphBuilder('g');
    const x = b.op('transpose', [b.input('x', { dtype: 'float32', shape: [1, 90] })], { perm: [1, 0] });
    const s = b.op('broadcast', [b.input('s', { dtype: 'float32', shape: [] })], { shape: [90, 1] });
    const source = await check(b.output(deepChain(b, x, s, 30)).build(), [
      data(90, 2),
      Float32Array.of(0.875),
    ]);
    expect(source).toContain('function stage0(');
  });

  it('leave shallow chains (W1) and chains over broadcast rows to the loop nest', async () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', { dtype: 'float32', shape: [64] });
    const s = b.op('broadcast', [b.input('s', { dtype: 'float32', shape: [] })], { shape: [64] });
    const shallow = await check(b.output(deepChain(b, x, s, 5)).build(), [data(64, 3), Float32Array.of(1.5)]);
    expect(shallow).not.toContain('stage0');
    const b2 = new GraphBuilder('g');
    const y = b2.input('y', { dtype: 'float32', shape: [6, 10] });
    const row = b2.op('broadcast', [b2.input('r', { dtype: 'float32', shape: [10] })], { shape: [6, 10] });
    const out = b2.op('add', [deepChain(b2, y, row, 24), y]);
    const rows = await check(b2.output(out).build(), [data(60, 4), data(10, 5)]);
    expect(rows).not.toContain('stage0');
  });
});

describe('kernel cache', () => {
  it('compiles structurally equal kernels once, whatever their buffer ids', () => {
    const backend = createJsBackend();
    const chain = (n: number) => {
      const b = new GraphBuilder('chain');
      let v = b.input('x', { dtype: 'float32', shape: [8, 3] });
      for (let i = 0; i < n; i++) v = b.op('tanh', [v]);
      return lowerGraph(b.output(v).build());
    };
    backend.compile(chain(1));
    expect(backend.cache.misses).toBe(1);
    backend.compile(chain(4)); // four tanh kernels over different buffers: same structure
    expect(backend.cache.misses).toBe(1);
    expect(backend.cache.hits).toBe(4);
  });
});

describe('memory', () => {
  const graph = () => {
    const b = new GraphBuilder('chain');
    let v = b.input('x', { dtype: 'float32', shape: [64] });
    for (const op of ['exp', 'neg', 'tanh', 'abs', 'sqrt', 'sin']) v = b.op(op, [v]);
    return b.output(v).build();
  };

  it('shares slots between temps and allocates only outputs on a warm run', async () => {
    const events: { purpose: string; bytes: number }[] = [];
    const backend = createJsBackend({ onAllocate: (e) => events.push(e) });
    const g = graph();
    const program = lowerGraph(g);
    const temps = program.buffers.filter((b) => b.kind === 'temp');
    expect(temps.length).toBe(5);
    expect(program.slots.length).toBeLessThan(temps.length); // the memory plan reuses slots
    const exe = backend.compile(program);
    expect(events.filter((e) => e.purpose === 'slot').length).toBe(program.slots.length);
    const input = Float32Array.from({ length: 64 }, (_, i) => (i - 32) / 9);
    const expected = interpret(g, [input])[0]!.data;
    const first = await execute(backend, exe, program, [input]);
    expect(first[0]).toEqual(expected);
    events.length = 0;
    const warm = backend.allocate('float32', 64);
    backend.upload(warm, input);
    events.length = 0;
    const out = exe.run([warm]);
    expect(events).toEqual([{ purpose: 'output', bytes: 64 * 4 }]);
    expect(backend.download(out[0]!)).toEqual(expected);
  });
});

describe('output memory reuse', () => {
  it('reuses a freed output buffer: a warm call after dispose allocates nothing and is still exact', () => {
    const events: { purpose: string; bytes: number }[] = [];
    const backend = createJsBackend({ onAllocate: (e) => events.push(e) });
    const n = 1 << 15; // 128 KiB of float32: large enough to be pooled
    const b = new GraphBuilder('f');
    const x = b.input('x', { dtype: 'float32', shape: [n] });
    const g = b.output(b.op('exp', [b.op('neg', [x])])).build();
    const exe = backend.compile(lowerGraph(g));
    const xs = [0, 1].map((s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + s)));
    const inputs = xs.map((data) => {
      const buf = backend.allocate('float32', n);
      backend.upload(buf, data);
      return buf;
    });
    const first = exe.run([inputs[0]!])[0]!;
    expect(backend.download(first)).toEqual(interpret(g, [xs[0]!])[0]!.data);
    backend.free(first);
    events.length = 0;
    const second = exe.run([inputs[1]!])[0]!;
    expect(events).toEqual([]); // the freed output's memory was taken back
    expect(backend.download(second)).toEqual(interpret(g, [xs[1]!])[0]!.data);
    // A buffer handed out by allocate() reads as zeros even when its memory is reused.
    backend.free(second);
    expect(Array.from(backend.download(backend.allocate('float32', n))).every((v) => v === 0)).toBe(true);
  });
});

describe('backend', () => {
  it('registers itself as the default', () => {
    expect(getBackend()).toBe(jsBackend);
    expect(getBackend('js')).toBe(jsBackend);
    expect(listBackends()).toContain('js');
  });

  it('declares no float16 and rejects it by name', () => {
    expect(jsBackend.capabilities.dtypes).not.toContain('float16');
    const program: KernelProgram = {
      irVersion: '1.0',
      name: 'h',
      inputs: [0],
      outputs: [1],
      inputShapes: [[2]],
      outputShapes: [[2]],
      slots: [],
      constants: [],
      buffers: [
        { id: 0, dtype: 'float16', size: 2, kind: 'input' },
        { id: 1, dtype: 'float16', size: 2, kind: 'output' },
      ],
      kernels: [],
    };
    expect(() => jsBackend.compile(program)).toThrow(UnsupportedDtypeError);
  });

  it('checks run() inputs', () => {
    const b = new GraphBuilder('g');
    const program = lowerGraph(
      b.output(b.op('neg', [b.input('x', { dtype: 'float32', shape: [3] })])).build(),
    );
    const exe = jsBackend.compile(program);
    expect(() => exe.run([])).toThrow(BufferMismatchError);
    expect(() => exe.run([jsBackend.allocate('float32', 4)])).toThrow(/should be float32 x 3/);
    expect(() => exe.run([jsBackend.allocate('int32', 3)])).toThrow(BufferMismatchError);
  });

  it('tiles matmuls and agrees with the reference on ragged sizes', () => {
    const b = new GraphBuilder('mm');
    const g = b
      .output(
        b.op('matmul', [
          b.input('a', { dtype: 'float32', shape: [37, 29] }),
          b.input('w', { dtype: 'float32', shape: [29, 41] }),
        ]),
      )
      .build();
    const program = lowerGraph(g);
    expect(renderKernel(program.kernels[0]!, 'k').tiled).toBe(true);
    const a = Float32Array.from({ length: 37 * 29 }, (_, i) => Math.sin(i));
    const w = Float32Array.from({ length: 29 * 41 }, (_, i) => Math.cos(i * 0.7));
    const exe = jsBackend.compile(program);
    const bufs = [a, w].map((d) => {
      const buf = jsBackend.allocate('float32', d.length);
      jsBackend.upload(buf, d);
      return buf;
    });
    const got = jsBackend.download(exe.run(bufs)[0]!) as Float32Array;
    const expected = interpret(g, [a, w])[0]!.data;
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-4);
  });
});
