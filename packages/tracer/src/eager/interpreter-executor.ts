import { type HostTensor, interpret, type TensorType, type TypedArray } from '@paradox/ir';
import type { TensorStorage } from '../storage.js';
import type { Tensor } from '../tensor.js';
import type { EagerExecutor, OpProgram } from './eager-executor.js';

/**
 * Eager ops on the reference interpreter: host typed arrays, no compilation. For tests and for
 * debugging a backend (`setEagerExecutor(interpreterExecutor)`); the default is the backend path.
 */
export const interpreterExecutor: EagerExecutor = {
  name: 'interpreter',
  fromHost(data: TypedArray): TensorStorage {
    return { kind: 'host', data };
  },
  run(program: OpProgram, inputs: readonly Tensor[]): TensorStorage {
    const hostInputs: HostTensor[] = inputs.map((t) => ({
      ...hostType(t.type),
      data: t.readSync('the interpreter executor'),
    }));
    const [out] = interpret(program.graph, hostInputs);
    return { kind: 'host', data: out!.data };
  },
};

const hostType = (t: TensorType): TensorType => ({ dtype: t.dtype, shape: [...t.shape] });
