/**
 * Node-only: the `GPU` object from the `webgpu` package (Dawn). Kept out of the browser entry so
 * a browser bundle never pulls in `webgpu` or `node:*` modules.
 *
 * On a machine without a GPU the Vulkan loader finds no driver, so we point it at SwiftShader,
 * a CPU Vulkan driver that scripts/setup-webgpu.sh unpacks into .vendor/swiftshader. The loader
 * reads VK_ICD_FILENAMES when Dawn creates its Vulkan instance (inside `create`/requestAdapter),
 * not when the process starts, so setting it from here works. LD_LIBRARY_PATH is not needed:
 * the ICD json names its library relative to itself.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GpuProvider } from './runtime/gpu-provider.js';

export const SWIFTSHADER_ICD_RELATIVE = '.vendor/swiftshader/usr/lib/chromium/vk_swiftshader_icd.json';
/** Where Debian's chromium package installs SwiftShader. */
const SYSTEM_SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

export interface NodeGpuOptions {
  /** Extra dawn.node flags, e.g. `enable-dawn-features=dump_shaders`. */
  dawnFlags?: string[];
}

/** Finds a SwiftShader ICD: .vendor/ above the working directory or this package, then the system one. */
export function findSwiftShaderIcd(): string | undefined {
  const starts = [process.cwd(), dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, SWIFTSHADER_ICD_RELATIVE);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return existsSync(SYSTEM_SWIFTSHADER_ICD) ? SYSTEM_SWIFTSHADER_ICD : undefined;
}

function systemHasVulkanDriver(): boolean {
  return SYSTEM_ICD_DIRS.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

/**
 * Provider for Node. Order: an explicit VK_ICD_FILENAMES/VK_DRIVER_FILES is respected as is; else
 * the system's Vulkan drivers (a real GPU) are tried; if they give no adapter, SwiftShader.
 */
export function nodeGpu(options: NodeGpuOptions = {}): GpuProvider {
  return async () => {
    const { create } = await import('webgpu');
    const flags = options.dawnFlags ?? [];
    const env = process.env;
    if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return create(flags);
    if (systemHasVulkanDriver()) {
      const gpu = create(flags);
      if (await gpu.requestAdapter()) return gpu;
    }
    const icd = findSwiftShaderIcd();
    if (!icd) return create(flags); // acquireDevice reports "no adapter" with the setup hint
    env.VK_ICD_FILENAMES = icd;
    return create(flags);
  };
}
