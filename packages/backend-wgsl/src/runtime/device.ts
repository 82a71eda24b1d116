import { WebGpuUnavailableError } from './errors.js';
import type { GpuProvider } from './gpu-provider.js';

export interface AcquiredDevice {
  /**
   * Held for the device's lifetime: in dawn.node the native instance dies when its GPU object is
   * garbage-collected, and a device outliving it crashes the process (mutex/futex aborts, hangs).
   */
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  /** Adapter description for messages and reports, e.g. "google swiftshader". */
  description: string;
  /** Whether the device was created with `shader-f16` (WGSL `enable f16;`). */
  f16: boolean;
}

/** Limits we raise from the spec defaults up to what the adapter offers. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
] as const;

/** Names only things a user of the published package has (see the README's "Node setup"). */
export const SETUP_HINT =
  'In Node: install the `webgpu` package (Dawn, an optional peer: `npm install webgpu`) and a Vulkan driver; ' +
  "without a GPU, Debian/Ubuntu's `chromium-common` package brings SwiftShader " +
  '(/usr/lib/chromium/vk_swiftshader_icd.json, found on its own), or set VK_ICD_FILENAMES to a Vulkan ICD json. ' +
  'In a browser, WebGPU needs a secure context (https or 127.0.0.1) and a browser with it enabled.';

/**
 * Requests an adapter and a device with raised limits, or throws WebGpuUnavailableError saying why.
 * `shader-f16` is requested only where the adapter has it.
 */
export async function acquireDevice(
  provider: GpuProvider,
  options: { powerPreference?: GPUPowerPreference } = {},
): Promise<AcquiredDevice> {
  let gpu: GPU | undefined;
  try {
    gpu = await provider();
  } catch (cause) {
    throw new WebGpuUnavailableError(
      `could not load a WebGPU implementation: ${String(cause)}. ${SETUP_HINT}`,
      { cause },
    );
  }
  if (!gpu)
    throw new WebGpuUnavailableError(`WebGPU is not available here (no navigator.gpu). ${SETUP_HINT}`);
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) throw new WebGpuUnavailableError(`WebGPU found no adapter. ${SETUP_HINT}`);

  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const f16 = adapter.features.has('shader-f16');
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'paradox',
      requiredLimits,
      requiredFeatures: f16 ? ['shader-f16'] : [],
    });
  } catch (cause) {
    throw new WebGpuUnavailableError(`the WebGPU adapter refused to create a device: ${String(cause)}`, {
      cause,
    });
  }
  const info = adapter.info;
  const description =
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  return { gpu, adapter, device, description, f16 };
}
