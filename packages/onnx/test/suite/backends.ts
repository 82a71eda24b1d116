import { listBackends, registerBackend } from '@paradox/backend';
import '@paradox/backend-js';
import '@paradox/jit';

/**
 * The backends the suite samples besides 'js', with how often they sample (every n-th passing test):
 * compile cost sets the rate (g++ per program for 'c' and the CUDA emulation, SwiftShader for 'wgsl').
 */
export interface SampledBackend {
  name: string;
  every: number;
}

export async function sampledBackends(): Promise<SampledBackend[]> {
  const out: SampledBackend[] = [];
  await import('@paradox/backend-wasm');
  if (listBackends().includes('wasm')) out.push({ name: 'wasm', every: 6 });
  const { cBackend } = await import('@paradox/backend-c');
  if (cBackend.unavailableReason === undefined) out.push({ name: 'c', every: 40 });
  await import('@paradox/backend-wgsl');
  out.push({ name: 'wgsl', every: 16 });
  const cuda = await import('@paradox/backend-cuda');
  const emulated = cuda.createEmulatedCudaBackend();
  registerBackend(emulated, { priority: 0 });
  out.push({ name: emulated.name, every: 60 });
  return out;
}
