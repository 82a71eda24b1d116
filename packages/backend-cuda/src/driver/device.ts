import { CudaUnavailableError } from '../errors.js';
import { loadKoffi } from './koffi.js';
import {
  CU_DEVICE_ATTRIBUTE,
  check,
  type DevicePointer,
  type DriverApi,
  type Handle,
  loadDriverApi,
} from './libcuda.js';

/** CUresult codes that mean "no usable GPU here" rather than a bug. */
const UNAVAILABLE_RESULTS = new Set([
  35, // CUDA_ERROR_INSUFFICIENT_DRIVER
  100, // CUDA_ERROR_NO_DEVICE
  101, // CUDA_ERROR_INVALID_DEVICE
  999, // CUDA_ERROR_UNKNOWN (typical of a driver without a device node)
  3, // CUDA_ERROR_NOT_INITIALIZED
  34, // CUDA_ERROR_STUB_LIBRARY
  46, // CUDA_ERROR_DEVICES_UNAVAILABLE
]);

export interface DeviceOptions {
  /** Path of libcuda (default: the system's, or $PARADOX_LIBCUDA). */
  libcuda?: string;
  ordinal?: number;
}

/**
 * One CUDA device through the driver API, with its primary context current. Memory is raw
 * device pointers (bigint); kernels launch on the default stream, so a device-to-host copy
 * waits for every launch before it.
 */
export class CudaDevice {
  readonly name: string;
  readonly computeCapability: { major: number; minor: number };
  readonly multiprocessors: number;

  private constructor(
    private readonly api: DriverApi,
    private readonly context: Handle,
    /** The CUdevice handle. */
    device: number,
    readonly ordinal: number,
  ) {
    const value = [0];
    const attribute = (a: number): number => {
      check(api, 'cuDeviceGetAttribute', api.cuDeviceGetAttribute(value, a, device));
      return value[0]!;
    };
    this.computeCapability = {
      major: attribute(CU_DEVICE_ATTRIBUTE.computeCapabilityMajor),
      minor: attribute(CU_DEVICE_ATTRIBUTE.computeCapabilityMinor),
    };
    this.multiprocessors = attribute(CU_DEVICE_ATTRIBUTE.multiprocessorCount);
    const name = new Uint8Array(256);
    check(api, 'cuDeviceGetName', api.cuDeviceGetName(name, name.length, device));
    this.name = new TextDecoder().decode(name.subarray(0, Math.max(0, name.indexOf(0))));
  }

  /** Opens device `ordinal`. Throws CudaUnavailableError when there is no driver or no such device. */
  static open(options: DeviceOptions = {}): CudaDevice {
    const api = loadDriverApi(options.libcuda);
    const ordinal = options.ordinal ?? 0;
    const unavailable = (call: string, result: number): void => {
      if (result === 0) return;
      if (UNAVAILABLE_RESULTS.has(result)) {
        const name: (string | null)[] = [null];
        api.cuGetErrorName(result, name);
        throw new CudaUnavailableError(`no usable CUDA device: ${call} returned ${name[0] ?? result}`);
      }
      check(api, call, result);
    };
    unavailable('cuInit', api.cuInit(0));
    const count = [0];
    unavailable('cuDeviceGetCount', api.cuDeviceGetCount(count));
    if (count[0]! <= ordinal) {
      throw new CudaUnavailableError(`no CUDA device ${ordinal}: the driver reports ${count[0]} device(s)`);
    }
    const device = [0];
    unavailable('cuDeviceGet', api.cuDeviceGet(device, ordinal));
    const context: (Handle | null)[] = [null];
    check(api, 'cuDevicePrimaryCtxRetain', api.cuDevicePrimaryCtxRetain(context, device[0]!));
    check(api, 'cuCtxSetCurrent', api.cuCtxSetCurrent(context[0]!));
    return new CudaDevice(api, context[0]!, device[0]!, ordinal);
  }

  /** sm_XY as the number XY (e.g. 90). */
  get arch(): number {
    return this.computeCapability.major * 10 + this.computeCapability.minor;
  }

  /** A device allocation of `bytes` (0n for an empty one: nothing is allocated). */
  alloc(bytes: number): DevicePointer {
    if (bytes === 0) return 0n;
    this.current();
    const out: (DevicePointer | number | null)[] = [null];
    check(this.api, 'cuMemAlloc', this.api.cuMemAlloc(out, bytes));
    return BigInt(out[0]!);
  }

  /** Sets `bytes` bytes at `pointer` to zero (ordered with the launches on the default stream). */
  zero(pointer: DevicePointer, bytes: number): void {
    if (bytes === 0) return;
    this.current();
    check(this.api, 'cuMemsetD8', this.api.cuMemsetD8(pointer, 0, bytes));
  }

  free(pointer: DevicePointer): void {
    if (pointer === 0n) return;
    this.current();
    check(this.api, 'cuMemFree', this.api.cuMemFree(pointer));
  }

  upload(pointer: DevicePointer, data: ArrayBufferView): void {
    if (data.byteLength === 0) return;
    this.current();
    check(this.api, 'cuMemcpyHtoD', this.api.cuMemcpyHtoD(pointer, data, data.byteLength));
  }

  /** Copies device memory into `into` (waits for earlier launches). */
  download(pointer: DevicePointer, into: ArrayBufferView): void {
    if (into.byteLength === 0) return;
    this.current();
    check(this.api, 'cuMemcpyDtoH', this.api.cuMemcpyDtoH(into, pointer, into.byteLength));
  }

  loadModule(image: Uint8Array): Handle {
    this.current();
    const out: (Handle | null)[] = [null];
    check(this.api, 'cuModuleLoadData', this.api.cuModuleLoadData(out, image));
    return out[0]!;
  }

  unloadModule(module: Handle): void {
    this.current();
    check(this.api, 'cuModuleUnload', this.api.cuModuleUnload(module));
  }

  getFunction(module: Handle, name: string): Handle {
    const out: (Handle | null)[] = [null];
    check(this.api, 'cuModuleGetFunction', this.api.cuModuleGetFunction(out, module, name));
    return out[0]!;
  }

  /** Launches `fn` with pointer arguments (every Paradox kernel parameter is a buffer). */
  launch(
    fn: Handle,
    grid: readonly number[],
    block: readonly number[],
    pointers: readonly DevicePointer[],
  ): void {
    this.current();
    const koffi = loadKoffi();
    const n = pointers.length;
    // kernelParams is an array of n pointers, each to one argument's value: values first, then the array.
    const memory = koffi.alloc('uint8_t', Math.max(1, n * 16));
    try {
      pointers.forEach((p, i) => {
        koffi.encode(memory, i * 8, 'uint64_t', p);
        koffi.encode(memory, n * 8 + i * 8, 'uint64_t', memory + BigInt(i * 8));
      });
      const [gx, gy, gz] = grid as [number, number, number];
      const [bx, by, bz] = block as [number, number, number];
      check(
        this.api,
        'cuLaunchKernel',
        this.api.cuLaunchKernel(fn, gx, gy, gz, bx, by, bz, 0, null, memory + BigInt(n * 8), null),
      );
    } finally {
      koffi.free(memory);
    }
  }

  synchronize(): void {
    this.current();
    check(this.api, 'cuCtxSynchronize', this.api.cuCtxSynchronize());
  }

  private current(): void {
    check(this.api, 'cuCtxSetCurrent', this.api.cuCtxSetCurrent(this.context));
  }
}
