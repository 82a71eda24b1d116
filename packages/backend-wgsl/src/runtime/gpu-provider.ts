/** Where a runtime gets its `GPU` object from: `navigator.gpu` in browsers, `webgpu` in Node. */
export type GpuProvider = () => Promise<GPU | undefined> | GPU | undefined;

/** The browser (and Deno) provider; undefined where WebGPU is absent or the page is not a secure context. */
export const navigatorGpu: GpuProvider = () => (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
