/**
 * The backend conformance suite, for real, on the WebGPU adapter Node finds: SwiftShader
 * (CPU Vulkan) from `bash scripts/setup-webgpu.sh` on machines without a GPU. Not skipped.
 * The suite's shapes are small, so the default run mostly picks serial reductions; the second
 * run forces the workgroup-tree reduction and scalar (non-vec4, untiled) code so every template
 * is checked against the reference interpreter.
 */
import { describeBackendConformance } from '@paradox/backend-conformance';
import { createWgslBackend, nodeGpu } from '../src/index.js';

describeBackendConformance('wgsl', () =>
  createWgslBackend({ name: 'wgsl-conformance', gpu: nodeGpu() }).ready(),
);

describeBackendConformance(
  'wgsl (tree reductions, scalar, untiled)',
  () =>
    createWgslBackend({
      name: 'wgsl-conformance-alt',
      gpu: nodeGpu(),
      render: { reduceStrategy: 'tree', vectorize: false, tileContractions: false, treeWorkgroupSize: 64 },
    }).ready(),
  { randomGraphRuns: 0 },
);
