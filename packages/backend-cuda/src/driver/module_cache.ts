import { createHash } from 'node:crypto';
import type { CudaDevice } from './device.js';
import type { Handle } from './libcuda.js';
import type { Nvrtc } from './nvrtc.js';

interface LoadedKernel {
  module: Handle;
  fn: Handle;
}

/**
 * Compiled kernels by the hash of their source (and the architecture): a kernel that two
 * programs share, or that a program re-compiled after a cache miss in jit regenerates, is
 * compiled by NVRTC and loaded once.
 */
export class ModuleCache {
  private readonly loaded = new Map<string, LoadedKernel>();

  constructor(
    private readonly device: CudaDevice,
    private readonly nvrtc: () => Nvrtc,
  ) {}

  get size(): number {
    return this.loaded.size;
  }

  /** The function `name` of `source`, compiling and loading it on first use. */
  function(source: string, name: string): Handle {
    const key = createHash('sha256').update(`${this.device.arch}\0${name}\0${source}`).digest('hex');
    let entry = this.loaded.get(key);
    if (!entry) {
      const image = this.nvrtc().compile(source, this.device.arch, `${name}.cu`);
      const module = this.device.loadModule(image.data);
      entry = { module, fn: this.device.getFunction(module, name) };
      this.loaded.set(key, entry);
    }
    return entry.fn;
  }

  clear(): void {
    for (const { module } of this.loaded.values()) this.device.unloadModule(module);
    this.loaded.clear();
  }
}
