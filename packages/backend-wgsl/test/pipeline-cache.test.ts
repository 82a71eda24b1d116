/**
 * Issue #24 item 8: the pipeline cache kept every shader ever compiled (600 distinct shapes, 600
 * pipelines). Now it holds the pipelines of live programs plus a bounded LRU of idle ones.
 */
import { GraphBuilder, interpret } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { afterAll, describe, expect, it } from 'vitest';
import { createWgslBackend, nodeGpu, type WgslExecutable } from '../src/index.js';

const MAX_IDLE = 4;
const ALIVE = 6;
const backend = createWgslBackend({ name: 'wgsl-cache', gpu: nodeGpu(), maxIdlePipelines: MAX_IDLE });
afterAll(() => backend.dispose());

/** `exp(x) * 2` on float32[n]: one kernel whose WGSL depends on n. */
function programOf(n: number) {
  const b = new GraphBuilder('shape');
  const x = b.input('x', { dtype: 'float32', shape: [n] });
  const graph = b.output(b.op('mul', [b.op('exp', [x]), x])).build();
  for (const node of graph.nodes) node.group = 0;
  return { graph, program: lowerGraph(graph) };
}

async function check(exe: WgslExecutable, n: number, graph: ReturnType<typeof programOf>['graph']) {
  const input = Float32Array.from({ length: n }, (_, i) => (i % 7) / 3 - 1);
  const x = backend.allocate('float32', n);
  backend.upload(x, input);
  const [out] = await exe.run([x]);
  const got = (await backend.download(out!)) as Float32Array;
  const want = interpret(graph, [input])[0]!.data;
  for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
  backend.free(out!);
  backend.free(x);
}

describe('pipeline cache bound', () => {
  it('120 distinct shapes with 6 programs alive keep at most 6 + 4 pipelines', async () => {
    const rt = await backend.runtime();
    const alive: WgslExecutable[] = [];
    let peak = 0;
    for (let n = 1; n <= 120; n++) {
      const { graph, program } = programOf(n);
      expect(program.kernels).toHaveLength(1);
      const exe = await backend.compile(program);
      if (n % 17 === 0) await check(exe, n, graph);
      alive.push(exe);
      // What a jit cache of 6 entries does: evicting a program disposes it.
      if (alive.length > ALIVE) alive.shift()!.dispose();
      peak = Math.max(peak, rt.pipelines.size);
    }
    expect(rt.pipelines.compiled).toBeGreaterThanOrEqual(120);
    expect(peak).toBeLessThanOrEqual(ALIVE + MAX_IDLE);
    for (const exe of alive) exe.dispose();
    expect(rt.pipelines.size).toBe(MAX_IDLE);
    expect(rt.pipelines.idle).toBe(MAX_IDLE);
  });

  it('a recompile of a recently disposed program reuses its idle pipeline; the least recent is evicted', async () => {
    const rt = await backend.runtime();
    const first = programOf(1001);
    (await backend.compile(first.program)).dispose();
    const compiled = rt.pipelines.compiled;
    const again = await backend.compile(first.program);
    expect(rt.pipelines.compiled).toBe(compiled);
    await check(again, 1001, first.graph);
    again.dispose();
    // MAX_IDLE newer idle pipelines push it out: compiling it again compiles.
    for (let n = 2001; n < 2001 + MAX_IDLE; n++) (await backend.compile(programOf(n).program)).dispose();
    expect(rt.pipelines.size).toBe(MAX_IDLE);
    const before = rt.pipelines.compiled;
    const evicted = await backend.compile(first.program);
    expect(rt.pipelines.compiled).toBe(before + 1);
    await check(evicted, 1001, first.graph);
    evicted.dispose();
  });

  it('a pipeline shared by two programs stays cached while either is alive', async () => {
    const rt = await backend.runtime();
    const p = programOf(3001);
    const a = await backend.compile(p.program);
    const b = await backend.compile(p.program);
    a.dispose();
    for (let n = 4001; n < 4001 + MAX_IDLE + 2; n++) (await backend.compile(programOf(n).program)).dispose();
    const compiled = rt.pipelines.compiled;
    const c = await backend.compile(p.program);
    expect(rt.pipelines.compiled).toBe(compiled);
    await check(b, 3001, p.graph);
    b.dispose();
    c.dispose();
  });

  it('rejects a negative or fractional idle bound', () => {
    for (const maxIdlePipelines of [-1, 1.5, Number.NaN])
      expect(() => createWgslBackend({ gpu: nodeGpu(), maxIdlePipelines })).toThrow(RangeError);
  });
});
