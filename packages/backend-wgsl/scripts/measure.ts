/**
 * Quick timings on the local WebGPU adapter (SwiftShader without a GPU). Not a benchmark suite
 * (that is apps/bench): a sanity check of the templates' speed while developing.
 *   npx tsx --conditions=@paradox/development packages/backend-wgsl/scripts/measure.ts
 */
import { type Graph, GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { createWgslBackend, GpuRuntime, nodeGpu, type RenderOptions } from '../src/index.js';

const N = 4 * 1024 * 1024;

async function median(runs: number, f: () => Promise<void>): Promise<number> {
  await f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(runs / 2)]!;
}

async function copy4(rt: GpuRuntime): Promise<number> {
  const src = `@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < ${N / 4}u) { dst[i] = src[i]; }
}`;
  const p = await rt.compile(src, ['read', 'write'], 'copy4');
  const a = rt.allocate(N * 4);
  const b = rt.allocate(N * 4);
  rt.upload(a, new Float32Array(N).fill(1));
  return median(9, async () => {
    await rt.run('copy4', [{ pipeline: p, buffers: [a, b], workgroups: N / 4 / 256 }]);
    await rt.sync();
  });
}

async function program(graph: Graph, render: Partial<RenderOptions> = {}): Promise<number> {
  const backend = await createWgslBackend({ name: 'measure', gpu: nodeGpu(), render }).ready();
  const prog = lowerGraph(graph);
  const exe = await backend.compile(prog);
  const rt = await backend.runtime();
  const inputs = prog.inputs.map((id) => {
    const d = prog.buffers.find((b) => b.id === id)!;
    const buf = backend.allocate(d.dtype, d.size);
    backend.upload(
      buf,
      Float32Array.from({ length: d.size }, (_, i) => Math.sin(i) * 2),
    );
    return buf;
  });
  return median(7, async () => {
    const outs = await exe.run(inputs);
    await rt.sync();
    for (const o of outs) backend.free(o);
  });
}

/** W1 with every op its own kernel: the kernel work eager execution does (minus its per-op overhead). */
function w1Unfused(): Graph {
  const g = w1();
  for (const n of g.nodes) delete n.group;
  return g;
}

function w1(): Graph {
  const b = new GraphBuilder('w1');
  const x = b.input('x', { dtype: 'float32', shape: [N] });
  const c = (v: number) => b.op('full', [], { value: v, shape: [N], dtype: 'float32' });
  const y = b.op('sub', [
    b.op('mul', [b.op('relu', [b.op('add', [b.op('mul', [x, c(2)]), c(1)])]), b.op('sigmoid', [x])]),
    c(0.5),
  ]);
  const g = b.output(y).build();
  for (const n of g.nodes) n.group = 0;
  return g;
}

function matmul(m: number, k: number, n: number): Graph {
  const b = new GraphBuilder('mm');
  const g = b
    .output(
      b.op('matmul', [
        b.input('a', { dtype: 'float32', shape: [m, k] }),
        b.input('b', { dtype: 'float32', shape: [k, n] }),
      ]),
    )
    .build();
  for (const node of g.nodes) node.group = 0;
  return g;
}

const rt = await GpuRuntime.create(nodeGpu());
console.log(`adapter: ${rt.acquired.description}`);
const copy = await copy4(rt);
const fused = await program(w1());
const unfused = await program(w1Unfused());
console.log(`vec4 copy of 4M floats: ${copy.toFixed(1)} ms (the adapter's memory-bound limit)`);
console.log(`W1 chain, 4M elements, fused: ${fused.toFixed(1)} ms = ${(fused / copy).toFixed(2)}x the copy`);
console.log(
  `W1 chain, 4M, one kernel per op (eager's kernels): ${unfused.toFixed(1)} ms = ${(unfused / fused).toFixed(2)}x fused`,
);
console.log(`W1 chain, 4M, scalar: ${(await program(w1(), { vectorize: false })).toFixed(1)} ms`);
console.log(`matmul 256x784x512: ${(await program(matmul(256, 784, 512))).toFixed(1)} ms`);
console.log(
  `matmul 256x784x512 untiled: ${(await program(matmul(256, 784, 512), { tileContractions: false })).toFixed(1)} ms`,
);
