import { CudaDevice } from './driver/device.js';
import { CudaUnavailableError } from './errors.js';

export type CudaProbe = { available: true; device: CudaDevice } | { available: false; reason: string };

/** Whether a CUDA driver and device are usable here (never throws for their absence). */
export function probeCuda(options: { libcuda?: string; ordinal?: number } = {}): CudaProbe {
  try {
    return { available: true, device: CudaDevice.open(options) };
  } catch (error) {
    if (error instanceof CudaUnavailableError) return { available: false, reason: error.message };
    throw error;
  }
}
