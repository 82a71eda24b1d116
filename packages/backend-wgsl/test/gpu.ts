/**
 * Shared test runtime. Node's `webgpu` package on SwiftShader: nodeGpu() points the Vulkan loader
 * at .vendor/swiftshader by itself, so `npm test` needs only `bash scripts/setup-webgpu.sh` once.
 * No adapter is a test failure, not a skip: this backend is tested for real.
 */
import { GpuRuntime, nodeGpu } from '../src/index.js';

let shared: Promise<GpuRuntime> | undefined;

export function testRuntime(): Promise<GpuRuntime> {
  shared ??= GpuRuntime.create(nodeGpu());
  return shared;
}

/** Index of the first differing element, or -1. (expect().toEqual on 4M elements takes minutes.) */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
