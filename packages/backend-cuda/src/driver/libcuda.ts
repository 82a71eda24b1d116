import { CudaDriverError } from '../errors.js';
import { type KoffiLibrary, openLibrary } from './koffi.js';

/** Opaque driver handles (CUcontext, CUmodule, CUfunction) and device pointers, as koffi 3 returns them. */
export type Handle = bigint;
export type DevicePointer = bigint;

/** CUdevice_attribute values used here. */
export const CU_DEVICE_ATTRIBUTE = {
  maxThreadsPerBlock: 1,
  maxGridDimX: 5,
  maxSharedMemoryPerBlock: 8,
  multiprocessorCount: 16,
  computeCapabilityMajor: 75,
  computeCapabilityMinor: 76,
} as const;

/**
 * Raw bindings of the CUDA driver API (libcuda) functions the backend calls. Out-parameters are
 * one-element arrays, as koffi marshals them. Every function returns a CUresult (0 = success).
 */
export interface DriverApi {
  cuInit(flags: number): number;
  cuDriverGetVersion(version: number[]): number;
  cuDeviceGetCount(count: number[]): number;
  cuDeviceGet(device: number[], ordinal: number): number;
  cuDeviceGetAttribute(value: number[], attribute: number, device: number): number;
  cuDeviceGetName(name: Uint8Array, length: number, device: number): number;
  cuDevicePrimaryCtxRetain(context: (Handle | null)[], device: number): number;
  cuCtxSetCurrent(context: Handle): number;
  cuCtxSynchronize(): number;
  cuModuleLoadData(module: (Handle | null)[], image: Uint8Array): number;
  cuModuleUnload(module: Handle): number;
  cuModuleGetFunction(fn: (Handle | null)[], module: Handle, name: string): number;
  cuMemAlloc(pointer: (DevicePointer | number | null)[], bytes: number): number;
  cuMemFree(pointer: DevicePointer): number;
  cuMemcpyHtoD(dst: DevicePointer, src: ArrayBufferView, bytes: number): number;
  cuMemcpyDtoH(dst: ArrayBufferView, src: DevicePointer, bytes: number): number;
  cuMemcpyDtoD(dst: DevicePointer, src: DevicePointer, bytes: number): number;
  cuMemsetD8(dst: DevicePointer, value: number, count: number): number;
  cuLaunchKernel(
    fn: Handle,
    gridX: number,
    gridY: number,
    gridZ: number,
    blockX: number,
    blockY: number,
    blockZ: number,
    sharedBytes: number,
    stream: Handle | null,
    params: bigint,
    extra: null,
  ): number;
  cuGetErrorName(result: number, name: (string | null)[]): number;
  cuGetErrorString(result: number, description: (string | null)[]): number;
}

const PROTOTYPES: Record<keyof DriverApi, string> = {
  cuInit: 'int cuInit(unsigned int flags)',
  cuDriverGetVersion: 'int cuDriverGetVersion(_Out_ int *version)',
  cuDeviceGetCount: 'int cuDeviceGetCount(_Out_ int *count)',
  cuDeviceGet: 'int cuDeviceGet(_Out_ int *device, int ordinal)',
  cuDeviceGetAttribute: 'int cuDeviceGetAttribute(_Out_ int *value, int attribute, int device)',
  cuDeviceGetName: 'int cuDeviceGetName(void *name, int length, int device)',
  cuDevicePrimaryCtxRetain: 'int cuDevicePrimaryCtxRetain(_Out_ void **context, int device)',
  cuCtxSetCurrent: 'int cuCtxSetCurrent(void *context)',
  cuCtxSynchronize: 'int cuCtxSynchronize()',
  cuModuleLoadData: 'int cuModuleLoadData(_Out_ void **module, const void *image)',
  cuModuleUnload: 'int cuModuleUnload(void *module)',
  cuModuleGetFunction: 'int cuModuleGetFunction(_Out_ void **fn, void *module, const char *name)',
  cuMemAlloc: 'int cuMemAlloc_v2(_Out_ uint64_t *pointer, size_t bytes)',
  cuMemFree: 'int cuMemFree_v2(uint64_t pointer)',
  cuMemcpyHtoD: 'int cuMemcpyHtoD_v2(uint64_t dst, const void *src, size_t bytes)',
  cuMemcpyDtoH: 'int cuMemcpyDtoH_v2(void *dst, uint64_t src, size_t bytes)',
  cuMemcpyDtoD: 'int cuMemcpyDtoD_v2(uint64_t dst, uint64_t src, size_t bytes)',
  cuMemsetD8: 'int cuMemsetD8_v2(uint64_t dst, uint8_t value, size_t count)',
  cuLaunchKernel:
    'int cuLaunchKernel(void *fn, unsigned int gridX, unsigned int gridY, unsigned int gridZ, ' +
    'unsigned int blockX, unsigned int blockY, unsigned int blockZ, unsigned int sharedBytes, ' +
    'void *stream, void *params, void *extra)',
  cuGetErrorName: 'int cuGetErrorName(int result, _Out_ const char **name)',
  cuGetErrorString: 'int cuGetErrorString(int result, _Out_ const char **description)',
};

/** Library names tried in order; PARADOX_LIBCUDA overrides them. */
export function libcudaCandidates(): string[] {
  const override = process.env.PARADOX_LIBCUDA;
  if (override) return [override];
  return process.platform === 'win32' ? ['nvcuda.dll'] : ['libcuda.so.1', 'libcuda.so'];
}

/** Opens libcuda (or `path`) and binds every function (throws CudaUnavailableError when the driver is absent). */
export function loadDriverApi(path?: string): DriverApi {
  const lib: KoffiLibrary = openLibrary(
    'the CUDA driver library (libcuda)',
    path ? [path] : libcudaCandidates(),
    'is an NVIDIA driver installed? set PARADOX_LIBCUDA to its path',
  );
  const api: Partial<Record<keyof DriverApi, unknown>> = {};
  for (const [name, prototype] of Object.entries(PROTOTYPES))
    api[name as keyof DriverApi] = lib.func(prototype);
  return api as DriverApi;
}

/** Throws a CudaDriverError naming `call` when `result` is not CUDA_SUCCESS. */
export function check(api: DriverApi, call: string, result: number): void {
  if (result === 0) return;
  const name: (string | null)[] = [null];
  const description: (string | null)[] = [null];
  api.cuGetErrorName(result, name);
  api.cuGetErrorString(result, description);
  throw new CudaDriverError(
    call,
    result,
    name[0] ?? 'CUDA_ERROR_UNKNOWN',
    description[0] ?? 'no description',
  );
}
