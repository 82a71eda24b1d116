import { checkAgainstReference, describeBackendConformance } from '@paradox/backend-conformance';
import { GraphBuilder, type TypedArray } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, it } from 'vitest';
import { createCudaBackend, probeCuda } from '../src/index.js';

// On a machine with an NVIDIA driver and GPU: the conformance suite through NVRTC and the driver
// API, and a few sizes large enough to use many blocks, every reduction template and the tiled
// matmul. Elsewhere every test here is skipped with the reason.
const probe = probeCuda();

if (probe.available) {
  describeBackendConformance(`cuda (${probe.device.name}, sm_${probe.device.arch})`, () =>
    createCudaBackend(),
  );

  describe('CUDA on the GPU: larger programs', () => {
    const data = (n: number, seed: number): Float32Array =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
    const cases: { name: string; build: (b: GraphBuilder) => string; inputs: TypedArray[] }[] = [
      {
        name: 'relu(x @ w + b), 256x784x512',
        build: (b) => {
          const y = b.op('matmul', [
            b.input('x', { dtype: 'float32', shape: [256, 784] }),
            b.input('w', { dtype: 'float32', shape: [784, 512] }),
          ]);
          const bias = b.op('broadcast', [b.input('b', { dtype: 'float32', shape: [512] })], {
            shape: [256, 512],
          });
          return b.op('relu', [b.op('add', [y, bias])]);
        },
        inputs: [data(256 * 784, 1), data(784 * 512, 2), data(512, 3)],
      },
      {
        name: 'row sums of 64 x 100000',
        build: (b) =>
          b.op('sum', [b.input('x', { dtype: 'float32', shape: [64, 100000] })], {
            axes: [1],
            keepdims: false,
          }),
        inputs: [data(6400000, 4)],
      },
      {
        name: 'column max of 3000 x 4000',
        build: (b) =>
          b.op('max', [b.input('x', { dtype: 'float32', shape: [3000, 4000] })], {
            axes: [0],
            keepdims: false,
          }),
        inputs: [data(12000000, 5)],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const backend = createCudaBackend({ name: 'cuda-large' });
        const b = new GraphBuilder('large');
        const graph = b.output(c.build(b)).build();
        const program = lowerGraph(graph);
        const exe = backend.compile(program);
        try {
          await checkAgainstReference(backend, exe, graph, program, c.inputs, {
            tolerance: { rtol: 1e-3, atol: 1e-3 },
          });
        } finally {
          exe.dispose();
        }
      }, 120_000);
    }
  });
} else {
  it.skip(`CUDA GPU tests: no usable CUDA device (${probe.reason})`, () => {});
}
