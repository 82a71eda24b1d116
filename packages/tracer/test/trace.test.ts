import { readFileSync } from 'node:fs';
import { type Graph, interpret, printGraph } from '@paradox/ir';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  configureTracer,
  EscapedTracerError,
  interpreterExecutor,
  ones,
  randn,
  setEagerExecutor,
  type Tensor,
  TracerConversionError,
  TracerTensor,
  tensor,
  trace,
  traceWithInfo,
  UntraceableOpError,
  where,
  zeros,
} from '../src/index.js';
import { here } from './helpers.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

/** The printed graph without call-site annotations (those are checked separately). */
const printWithoutSources = (g: Graph): string =>
  printGraph({ ...g, nodes: g.nodes.map(({ source: _, ...n }) => n) });

describe('trace', () => {
  it('records x => x.add(b).relu().sum() with an explicit broadcast of the captured b', () => {
    const b = tensor([1, -2, 3, -4, 5, -6, 7, -8]);
    const g = trace((x: Tensor) => x.add(b).relu().sum(), zeros([4, 8]));
    expect(printWithoutSources(g)).toBe(
      [
        'graph @f(%x: f32[4,8]) {',
        '  %c0: f32[8] = const [1,-2,3,-4,5,-6,7,-8]',
        '  %0: f32[4,8] = broadcast %c0 {shape=[4,8]}',
        '  %1: f32[4,8] = add %x, %0',
        '  %2: f32[4,8] = relu %1',
        '  %3: f32[] = sum %2 {axes=[0,1], keepdims=false}',
        '  return %3',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('names inputs after parameters and the graph after the function', () => {
    function layer(x: Tensor, b: Tensor) {
      return x.add(b).relu();
    }
    const g = trace(layer, zeros([4, 8]), zeros([8]));
    expect(printWithoutSources(g).split('\n').slice(0, 4)).toEqual([
      'graph @layer(%x: f32[4,8], %b: f32[8]) {',
      '  %0: f32[4,8] = broadcast %b {shape=[4,8]}',
      '  %1: f32[4,8] = add %x, %0',
      '  %2: f32[4,8] = relu %1',
    ]);
  });

  it('scalars become rank-0 constants, then broadcast; mixed dtypes get explicit casts', () => {
    const g = trace((x: Tensor) => x.mul(2.5), zeros([3], 'int32'));
    expect(printWithoutSources(g)).toBe(
      [
        'graph @f(%x: i32[3]) {',
        '  %0: f32[3] = cast %x {dtype="float32"}',
        '  %1: f32[] = constant {value=2.5, dtype="float32"}',
        '  %2: f32[3] = broadcast %1 {shape=[3]}',
        '  %3: f32[3] = mul %0, %2',
        '  return %3',
        '}',
        '',
      ].join('\n'),
    );
    // Every binary node's operands have equal types.
    const types = new Map(g.nodes.map((n) => [n.id, n.type]));
    for (const i of g.inputs) types.set(i.id, i.type);
    for (const n of g.nodes.filter((n) => n.inputs.length === 2)) {
      expect(types.get(n.inputs[0]!)).toEqual(types.get(n.inputs[1]!));
    }
  });

  it('stages creation ops and eager-only work inside the trace', () => {
    const g = trace((x: Tensor) => x.add(ones([2])).add(randn([2], 3)), zeros([2]));
    expect(g.nodes.map((n) => n.op)).toEqual(['full', 'add', 'random', 'add']);
    expect(g.constants).toHaveLength(0);
  });

  it('non-tensor arguments are static', () => {
    const g = trace(
      (x: Tensor, k: number, opts: { relu: boolean }) => (opts.relu ? x.mul(k).relu() : x.mul(k)),
      zeros([2]),
      3,
      {
        relu: true,
      },
    );
    expect(g.inputs.map((i) => i.id)).toEqual(['x']);
    expect(g.nodes.map((n) => n.op)).toEqual(['constant', 'broadcast', 'mul', 'relu']);
    expect(g.nodes[0]!.attrs).toEqual({ value: 3, dtype: 'float32' });
  });
});

describe('pytrees', () => {
  it('flattens inputs and outputs and records their structure', () => {
    const params = { w: zeros([3, 2]), b: zeros([2]) };
    const info = traceWithInfo(
      (p: typeof params, xs: Tensor[]) => ({ y: xs[0]!.matmul(p.w).add(p.b), pair: [xs[1]!.neg(), 7] }),
      params,
      [zeros([4, 3]), zeros([5])],
    );
    expect(info.graph.inputs.map((i) => `${i.id}: ${i.type.shape}`)).toEqual([
      'p_b: 2',
      'p_w: 3,2',
      'xs_0: 4,3',
      'xs_1: 5',
    ]);
    expect(info.inputIds).toEqual(['p_b', 'p_w', 'xs_0', 'xs_1']);
    expect(info.outputTree.key).toBe('{"pair":[*,=n:7],"y":*}');
    expect(info.graph.outputs).toHaveLength(2);
    const types = new Map(info.graph.nodes.map((n) => [n.id, n.type.shape]));
    expect(info.graph.outputs.map((o) => types.get(o))).toEqual([[5], [4, 2]]);
    expect(info.inputTree.numLeaves).toBe(4);
  });

  it('returns inputs and captured tensors as outputs', () => {
    const c = tensor([1, 2]);
    const g = trace((x: Tensor) => [x, c], zeros([2]));
    expect(g.outputs).toEqual(['x', 'c0']);
  });
});

describe('closed-over tensors', () => {
  it('become constants c0, c1..., captured once each, evaluated correctly', () => {
    const a = tensor([1, 2]);
    const b = tensor([10, 20]);
    const info = traceWithInfo((x: Tensor) => x.mul(a).add(b).add(a), zeros([2]));
    expect(info.graph.constants.map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(info.constants.map((c) => c.tensor)).toEqual([a, b]);
    const [out] = interpret(info.graph, [{ dtype: 'float32', shape: [2], data: new Float32Array([3, 4]) }]);
    expect([...out!.data]).toEqual([3 * 1 + 10 + 1, 4 * 2 + 20 + 2]);
  });

  it('warn above the configured size', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const previous = configureTracer({ constantWarningElements: 3 });
    try {
      const big = zeros([4]);
      trace((x: Tensor) => x.add(tensor([1, 2, 3])), zeros([3]));
      expect(warn).not.toHaveBeenCalled();
      trace((x: Tensor) => x.add(big), zeros([4]));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(
        /f32\[4\] \(4 elements\) is baked into the graph as constant %c0.*trace\.test\.ts:\d+/,
      );
    } finally {
      configureTracer(previous);
      warn.mockRestore();
    }
  });
});

describe('JS control flow on tracers', () => {
  const cases: [string, (t: Tensor) => unknown, RegExp][] = [
    ['comparison', (t) => (t as unknown as number) > 0, /number\/boolean/],
    ['Number()', (t) => Number(t), /number\/boolean/],
    ['template string', (t) => `${t}`, /JS string/],
    ['arithmetic', (t) => (t as unknown as number) + 1, /number\/boolean/],
  ];
  it.each(cases)('%s throws TracerConversionError naming where()', (_, use, kind) => {
    let thrown: unknown;
    trace(
      (x: Tensor) => {
        try {
          use(x.sum());
        } catch (e) {
          thrown = e;
        }
        return x;
      },
      zeros([2]),
    );
    expect(thrown).toBeInstanceOf(TracerConversionError);
    expect((thrown as Error).message).toMatch(kind);
    expect((thrown as Error).message).toMatch(/where\(cond, a, b\)/);
    expect((thrown as Error).message).toMatch(/trace\.test\.ts:\d+/);
  });

  it('where() is the traceable alternative', () => {
    const g = trace((x: Tensor) => where(x.gt(0), x, x.mul(0.1)), zeros([3]));
    const [out] = interpret(g, [{ dtype: 'float32', shape: [3], data: new Float32Array([-1, 0, 2]) }]);
    expect([...out!.data].map((v) => Math.round(v * 100) / 100)).toEqual([-0.1, 0, 2]);
  });
});

describe('untraceable operations and escaped tracers', () => {
  it('reading data from a tracer throws UntraceableOpError', async () => {
    const errors: unknown[] = [];
    let leaked: Tensor | undefined;
    trace(
      (x: Tensor) => {
        leaked = x;
        for (const read of [() => x.dataSync(), () => x.toArray()]) {
          try {
            read();
          } catch (e) {
            errors.push(e);
          }
        }
        return x;
      },
      zeros([2]),
    );
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toBeInstanceOf(UntraceableOpError);
    expect((errors[0] as Error).message).toMatch(/dataSync\(\) cannot be traced: a traced tensor f32\[2\]/);
    await expect(leaked!.data()).rejects.toBeInstanceOf(UntraceableOpError);
    expect(leaked).toBeInstanceOf(TracerTensor);
    expect(String(leaked!.toString())).toBe('TracerTensor(%x: f32[2])');
    expect(() => leaked!.add(1)).toThrow(EscapedTracerError);
  });

  it('a tracer used inside a nested trace is an error', () => {
    expect(() => trace((x: Tensor) => trace((y: Tensor) => y.add(x), zeros([2])), zeros([2]))).toThrow(
      /different \(nested\) trace/,
    );
  });
});

describe('call sites', () => {
  it('every node records the user line that created it', () => {
    let site!: { file: string; line: number };
    const g = trace(
      (x: Tensor) => {
        const [where, y] = [here(), x.softmax()]; // one line: the ops share `here()`'s line
        site = where;
        return y;
      },
      zeros([2, 3]),
    );
    expect(g.nodes.length).toBeGreaterThan(4);
    for (const n of g.nodes) {
      expect(n.source).toMatchObject({ file: site.file, line: site.line });
      expect(n.source!.column).toBeGreaterThan(0);
    }
    expect(printGraph(g)).toContain(`loc(`);
  });

  it('records the source-mapped column of the call, not just its line', () => {
    let site!: { file: string; line: number };
    // biome-ignore format: the column of `.neg` on this line is what the test checks
    const g = trace((x: Tensor) => { site = here(); return x.neg(); }, zeros([2]));
    const text = readFileSync(site.file, 'utf8').split('\n')[site.line - 1]!;
    const [neg] = g.nodes.filter((n) => n.op === 'neg');
    expect(neg!.source).toMatchObject({
      file: site.file,
      line: site.line,
      column: text.indexOf('neg()') + 1,
    });
  });
});
