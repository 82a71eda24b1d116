import { getBackend } from '@paradox/backend';
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import {
  CudaUnavailableError,
  createCudaBackend,
  cudaBackend,
  probeCuda,
  renderProgram,
} from '../src/index.js';

// Without a driver (this file points the backend at a library that does not exist), importing
// and registering work, rendering works, and everything that needs the device throws the typed
// CudaUnavailableError naming what is missing.
const program = (() => {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [4] });
  return lowerGraph(b.output(b.op('exp', [x])).build());
})();

describe('CUDA backend without a driver', () => {
  const backend = createCudaBackend({
    libcuda: '/nonexistent/libcuda.so.1',
    nvrtc: '/nonexistent/libnvrtc.so',
  });

  it('is registered as "cuda" on import, below the default backends', () => {
    expect(getBackend('cuda')).toBe(cudaBackend);
  });

  it('renders without a device', () => {
    expect(renderProgram(program)).toMatch(/extern "C" __global__ void __launch_bounds__\(256\) k0\(/);
    expect(backend.render(program)).toBe(renderProgram(program));
  });

  it('throws CudaUnavailableError from compile, allocate and probe-less device access', () => {
    for (const action of [
      () => backend.compile(program),
      () => backend.allocate('float32', 4),
      () => backend.device,
    ]) {
      let error: unknown;
      try {
        action();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CudaUnavailableError);
      expect((error as CudaUnavailableError).code).toBe('CUDA_UNAVAILABLE');
      expect((error as Error).message).toMatch(
        /CUDA driver library \(libcuda\) not found.*\/nonexistent\/libcuda\.so\.1/s,
      );
    }
  });

  it('probeCuda reports the reason instead of throwing', () => {
    const probe = probeCuda({ libcuda: '/nonexistent/libcuda.so.1' });
    expect(probe.available).toBe(false);
    if (!probe.available) expect(probe.reason).toMatch(/libcuda/);
  });
});
