import {
  type Backend,
  type DeviceBuffer,
  type Executable,
  getBackend,
  NoBackendError,
} from '@paradox/backend';
import type { TensorType, TypedArray } from '@paradox/ir';
import { BoundedCache } from '../bounded-cache.js';
import { EagerExecutionError } from '../errors.js';
import { keepAliveUntil } from '../keep-alive.js';
import { isPromise, type TensorStorage } from '../storage.js';
import type { Tensor } from '../tensor.js';
import type { EagerExecutor, OpProgram } from './eager-executor.js';
import { type EagerLowering, getEagerLowering } from './lowering.js';

/**
 * Eager ops on the default registered backend: each op is lowered (with the injected EagerLowering)
 * and compiled once per signature (op, attrs, input types) and cached per backend, so a repeated op
 * costs one cache lookup + one run.
 */
const EXECUTABLES_PER_BACKEND = 1024;
const executables = new WeakMap<Backend, BoundedCache<string, Executable | Promise<Executable>>>();

const disposeExecutable = (exe: Executable | Promise<Executable>): void => {
  Promise.resolve(exe).then(
    (e) => e.dispose(),
    () => {},
  );
};

function defaultBackend(): Backend {
  try {
    return getBackend();
  } catch (e) {
    if (e instanceof NoBackendError) {
      throw new EagerExecutionError(
        "eager tensors need a backend, and none is registered: add `import '@paradox/backend-js'` (the default " +
          'JavaScript backend) to your program before creating tensors',
      );
    }
    throw e;
  }
}

function injectedLowering(): EagerLowering {
  const lower = getEagerLowering();
  if (!lower) {
    throw new EagerExecutionError(
      "eager ops on a backend need a lowering, and none is injected: add `import '@paradox/jit'` (or call " +
        "setEagerLowering(lowerGraph) with lowerGraph from '@paradox/pass-lower')",
    );
  }
  return lower;
}

function executableFor(backend: Backend, program: OpProgram): Executable | Promise<Executable> {
  let cache = executables.get(backend);
  if (!cache) {
    cache = new BoundedCache(EXECUTABLES_PER_BACKEND, disposeExecutable);
    executables.set(backend, cache);
  }
  let exe = cache.get(program.key);
  if (!exe) {
    exe = backend.compile(injectedLowering()(program.graph));
    cache.set(program.key, exe);
  }
  return exe;
}

/**
 * The tensor's buffer on `backend`, uploading (from the host or another backend) when it lives
 * elsewhere; an upload is a temporary no tensor owns, so it is also pushed to `temps` to be freed.
 */
function bufferOn(
  backend: Backend,
  tensor: Tensor,
  temps: (DeviceBuffer | Promise<DeviceBuffer>)[],
): DeviceBuffer | Promise<DeviceBuffer> {
  const storage = tensor.storage('an eager op');
  if (storage.kind === 'device' && storage.backend === backend) return storage.buffer;
  const upload = (data: TypedArray): DeviceBuffer => uploadTo(backend, data, tensor.type);
  let buffer: DeviceBuffer | Promise<DeviceBuffer>;
  if (storage.kind === 'host') buffer = upload(storage.data);
  else {
    const sameSpeed =
      backend.capabilities.sync && storage.backend.capabilities.sync && !isPromise(storage.buffer);
    buffer = sameSpeed ? upload(tensor.readSyncForCopy('an eager op')) : tensor.data().then(upload);
  }
  temps.push(buffer);
  return buffer;
}

function freeTemps(backend: Backend, temps: readonly (DeviceBuffer | Promise<DeviceBuffer>)[]): void {
  for (const t of temps) {
    if (isPromise(t))
      t.then(
        (b) => backend.free(b),
        () => {},
      );
    else backend.free(t);
  }
}

function uploadTo(backend: Backend, data: TypedArray, type: TensorType): DeviceBuffer {
  const buffer = backend.allocate(type.dtype, data.length);
  backend.upload(buffer, data);
  return buffer;
}

/** Keeps a pending result from crashing the process as an unhandled rejection; data() still rejects. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export const backendExecutor: EagerExecutor = {
  name: 'backend',
  fromHost(data: TypedArray, type: TensorType): TensorStorage {
    const backend = defaultBackend();
    return { kind: 'device', backend, buffer: uploadTo(backend, data, type) };
  },
  // Backend.upload copies, so the caller's own array goes straight to the device.
  fromCallerData(data: TypedArray, type: TensorType): TensorStorage {
    return backendExecutor.fromHost(data, type);
  },
  run(program: OpProgram, inputs: readonly Tensor[]): TensorStorage {
    const backend = defaultBackend();
    const exe = executableFor(backend, program);
    const temps: (DeviceBuffer | Promise<DeviceBuffer>)[] = [];
    const buffers = inputs.map((t) => bufferOn(backend, t, temps));
    if (!isPromise(exe) && !buffers.some(isPromise)) {
      let outs: DeviceBuffer[] | Promise<DeviceBuffer[]>;
      try {
        outs = exe.run(buffers as DeviceBuffer[]);
      } catch (error) {
        freeTemps(backend, temps);
        throw error;
      }
      if (!isPromise(outs)) {
        freeTemps(backend, temps);
        return { kind: 'device', backend, buffer: outs[0]! };
      }
      const first = outs.then((o) => o[0]!).finally(() => freeTemps(backend, temps));
      keepAliveUntil(inputs, first);
      return { kind: 'device', backend, buffer: quiet(first) };
    }
    const pending = (async () => {
      try {
        const [e, bs] = await Promise.all([exe, Promise.all(buffers)]);
        return (await e.run(bs))[0]!;
      } finally {
        freeTemps(backend, temps);
      }
    })();
    // The op reads its inputs' buffers only once they (and the executable) are ready.
    keepAliveUntil(inputs, pending);
    return { kind: 'device', backend, buffer: quiet(pending) };
  },
};
