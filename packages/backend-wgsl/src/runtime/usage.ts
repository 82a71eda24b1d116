/**
 * WebGPU flag values, fixed by the spec. Node's `webgpu` package only exposes the
 * `GPUBufferUsage`/`GPUMapMode` globals if someone copies them onto globalThis; a library should
 * not do that, so we carry the numbers.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

/** Usage of every tensor buffer: bound as storage, filled by writeBuffer, read back by a copy. */
export const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
/** Usage of the staging buffers that async readback maps. */
export const READBACK_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
