import { BufferMismatchError, getBackend, MalformedProgramError, UnsupportedOpError } from '@paradox/backend';
import { GraphBuilder, interpret, type Kernel, roundToFloat16, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_OPTIONS } from '../src/codegen/render.js';
import {
  createWgslBackend,
  fromHalfBits,
  nodeGpu,
  renderKernel,
  toHalfBits,
  type WgslBackend,
  wgslBackend,
} from '../src/index.js';
import { firstMismatch } from './gpu.js';

const HOSTILE = "pwn'); }} fn evil() { //";

let backend: WgslBackend;
beforeAll(async () => {
  backend = await createWgslBackend({ name: 'wgsl-backend-test', gpu: nodeGpu() }).ready();
});

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
  for (const n of g.nodes) n.source = { file: HOSTILE, line: 1, fn: HOSTILE };
  return g;
}

describe('registration and capabilities', () => {
  it("registers 'wgsl' on import", () => {
    expect(getBackend('wgsl')).toBe(wgslBackend);
    expect(wgslBackend.capabilities.sync).toBe(false);
  });

  it('declares the device storage-buffer limit once a device exists', async () => {
    const rt = await backend.runtime();
    expect(backend.capabilities.maxBuffersPerKernel).toBe(rt.limits.maxStorageBuffersPerShaderStage);
    expect(backend.capabilities.dtypes.includes('float16')).toBe(rt.hasF16);
  });
});

describe('generated WGSL', () => {
  it('never contains strings from the IR', async () => {
    const graph = hostileGraph();
    const program = lowerGraph(graph);
    for (const k of program.kernels) k.sourceNodes = [HOSTILE];
    // Kernel names are compiler-made identifiers: a hostile one is rejected before anything renders.
    program.kernels[0]!.name = HOSTILE;
    expect(() => backend.render(program)).toThrow(VerifyError);
    await expect(backend.compile(program)).rejects.toThrow('kernel names must be unique identifiers');
    program.kernels[0]!.name = 'k0';
    program.name = HOSTILE;
    expect(backend.render(program)).not.toContain('pwn');
    const exe = await backend.compile(program);
    for (const s of exe.sources) expect(s).not.toContain('pwn');
    const input = Float32Array.from({ length: 12 }, (_, i) => i / 7);
    const buf = backend.allocate('float32', 12);
    backend.upload(buf, input);
    const [out] = await exe.run([buf]);
    const got = (await backend.download(out!)) as Float32Array;
    const expected = interpret(graph, [input])[0]!.data;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
  });

  it('rejects non-numeric constants, unknown ops and bad indices with typed errors', () => {
    const base: Kernel = {
      name: 'k0',
      kind: 'elementwise',
      domain: [2],
      exprs: [{ op: 'const', dtype: 'float32', value: `1); ${HOSTILE}` as unknown as number }],
      stores: [{ buffer: 0, index: { k: 'axis', axis: 0 }, value: 0 }],
    };
    const render = (k: Kernel) => renderKernel(k, 0, DEFAULT_RENDER_OPTIONS);
    expect(() => render(base)).toThrow(MalformedProgramError);
    const badOp = {
      ...base,
      exprs: [
        { op: 'const', dtype: 'float32', value: 1 },
        { op: 'unary', fn: 'constructor', dtype: 'float32', a: 0 },
      ],
      stores: [{ ...base.stores[0]!, value: 1 }],
    } as Kernel;
    expect(() => render(badOp)).toThrow(UnsupportedOpError);
    const badIndex = {
      ...base,
      exprs: [{ op: 'const', dtype: 'float32', value: 1 }],
      stores: [{ buffer: 0, index: { k: 'const', v: '0]; evil(); [' }, value: 0 }],
    } as unknown as Kernel;
    expect(() => render(badIndex)).toThrow(MalformedProgramError);
    const badBuffer = {
      ...base,
      exprs: [{ op: 'const', dtype: 'float32', value: 1 }],
      stores: [{ ...base.stores[0]!, buffer: 'b0' }],
    } as unknown as Kernel;
    expect(() => render(badBuffer)).toThrow(MalformedProgramError);
  });

  it('spells NaN, infinities and -0 constants so they survive into the shader', async () => {
    const b = new GraphBuilder('consts');
    const x = b.input('x', { dtype: 'float32', shape: [4] });
    const c = b.constant(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0],
      [4],
      'float32',
    );
    const minusZero = b.op('broadcast', [b.op('constant', [], { value: -0, dtype: 'float32' })], {
      shape: [4],
    });
    const full = b.op('full', [], { value: Number.NEGATIVE_INFINITY, shape: [4], dtype: 'float32' });
    const g = b.output(b.op('mul', [x, b.op('add', [c, minusZero])]), b.op('maximum', [x, full])).build();
    for (const n of g.nodes) n.group = 0;
    const exe = await backend.compile(lowerGraph(g));
    expect(exe.sources.join('\n')).toMatch(/f32_bits\(0x7f800000u\)|f32_bits\(0xff800000u\)/);
    const input = Float32Array.from([2, 2, 2, -3]);
    const buf = backend.allocate('float32', 4);
    backend.upload(buf, input);
    const outs = await exe.run([buf]);
    const expected = interpret(g, [input]);
    const show = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));
    for (let i = 0; i < outs.length; i++)
      expect(show(await backend.download(outs[i]!))).toEqual(show(expected[i]!.data));
  });
});

describe('buffers and runs', () => {
  it('allocates and uploads before the device exists (bytes wait host-side)', async () => {
    const lazy = createWgslBackend({ name: 'wgsl-lazy', gpu: nodeGpu() });
    const flags = lazy.allocate('bool', 5);
    lazy.upload(flags, Uint8Array.from([1, 0, 1, 1, 0]));
    const ints = lazy.allocate('int32', 3);
    lazy.upload(ints, Int32Array.from([-1, 2147483647, -2147483648]));
    expect([...(await lazy.download(flags))]).toEqual([1, 0, 1, 1, 0]);
    expect([...(await lazy.download(ints))]).toEqual([-1, 2147483647, -2147483648]);
    expect([...(await lazy.download(lazy.allocate('float32', 0)))]).toEqual([]);
    lazy.dispose();
  });

  it('rejects use after free and foreign buffers', async () => {
    const b = backend.allocate('float32', 4);
    backend.free(b);
    expect(() => backend.free(b)).toThrow(BufferMismatchError);
    await expect(backend.download(b)).rejects.toBeInstanceOf(BufferMismatchError);
    expect(() => backend.upload(backend.allocate('float32', 4), Int32Array.from([1, 2, 3, 4]))).toThrow(
      BufferMismatchError,
    );
  });

  it('warm runs create no GPU buffers or pipelines and submit once per run', async () => {
    const b = new GraphBuilder('chain');
    let v = b.input('x', { dtype: 'float32', shape: [1024] });
    for (const op of ['exp', 'neg', 'tanh', 'abs', 'sqrt', 'sin']) v = b.op(op, [v]);
    const g = b.output(b.op('sum', [v], { axes: [0], keepdims: false }), v).build();
    const program = lowerGraph(g);
    expect(program.kernels.length).toBeGreaterThan(2);
    const exe = await backend.compile(program);
    const rt = await backend.runtime();
    const input = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i));
    const x = backend.allocate('float32', 1024);
    backend.upload(x, input);
    const runOnce = async () => {
      const outs = await exe.run([x]);
      const data = await Promise.all(outs.map((o) => backend.download(o)));
      for (const o of outs) backend.free(o);
      return data;
    };
    const first = await runOnce();
    const created = rt.pool.created;
    const compiled = rt.pipelines.compiled;
    const queue = rt.device.queue;
    const submit = queue.submit.bind(queue);
    let submits = 0;
    queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
      submits++;
      submit(buffers);
    };
    try {
      const outs = await exe.run([x]);
      expect(submits).toBe(1);
      for (const o of outs) backend.free(o);
      const again = await runOnce();
      expect(rt.pool.created).toBe(created);
      again.forEach((a, i) => {
        expect(firstMismatch(a, first[i]!)).toBe(-1);
      });
      // Compiling the same program again hits the pipeline cache.
      (await backend.compile(program)).dispose();
      expect(rt.pipelines.compiled).toBe(compiled);
    } finally {
      delete (queue as { submit?: unknown }).submit;
      queue.submit = submit;
    }
    exe.dispose();
    backend.free(x);
  });
});

describe('float16 host format', () => {
  it('rounds to nearest even like the reference and round-trips specials', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      0.1,
      65504,
      65520,
      1e-8,
      6.1e-5,
      3.0e-8,
      2049,
      2051,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    for (let i = 0; i < 2000; i++) values.push((i - 1000) * 0.37, 2 ** (i / 100 - 14));
    for (const v of values) {
      const got = fromHalfBits(toHalfBits(v));
      const want = roundToFloat16(Math.fround(v));
      expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
    }
  });
});
