import type { Backend, DeviceBuffer } from '@paradox/backend';
import type { TensorType, TypedArray } from '@paradox/ir';
import { Tensor, type TensorStorage } from '@paradox/tracer';

export const isPromise = <T>(x: T | Promise<T>): x is Promise<T> =>
  typeof (x as { then?: unknown } | null)?.then === 'function';

/** Keeps a pending result from becoming an unhandled rejection; data() on the output still rejects. */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/**
 * The tensor's buffer on `backend`. A tensor that lives elsewhere (the host, another backend) is
 * uploaded into a temporary buffer, pushed onto `temps` so the caller frees it after the run.
 */
export function inputBuffer(
  backend: Backend,
  tensor: Tensor,
  temps: DeviceBuffer[],
): DeviceBuffer | Promise<DeviceBuffer> {
  const storage = tensor.storage('a jit call');
  if (storage.kind === 'device' && storage.backend === backend) return storage.buffer;
  const upload = (data: TypedArray): DeviceBuffer => {
    const buffer = backend.allocate(tensor.dtype, data.length);
    backend.upload(buffer, data);
    temps.push(buffer);
    return buffer;
  };
  if (storage.kind === 'host') return upload(storage.data);
  const syncSource = storage.backend.capabilities.sync && !isPromise(storage.buffer);
  return syncSource ? upload(tensor.readSyncForCopy('a jit call')) : tensor.data().then(upload);
}

/** A fresh tensor the caller owns, over an output buffer (possibly still pending on an async backend). */
export function outputTensor(
  backend: Backend,
  type: TensorType,
  buffer: DeviceBuffer | Promise<DeviceBuffer>,
): Tensor {
  const storage: TensorStorage = { kind: 'device', backend, buffer };
  return new Tensor(type, storage);
}
