import {
  allocateHostBuffer,
  asHostBuffer,
  type Backend,
  checkProgram,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  uploadHostBuffer,
} from '@paradox/backend';
import { BUILTIN_OP_TABLE, type KernelProgram, type TypedArray, typedArrayFor } from '@paradox/ir';
import { evaluateKernel } from './evaluate-kernel.js';

/**
 * A complete backend in one file: host buffers from the SDK, kernels run by a tree-walking
 * interpreter (evaluate-kernel.ts). It declares every built-in op and the dtypes it can hold.
 */
export const toyBackend: Backend = {
  name: 'toy',
  capabilities: {
    dtypes: ['float32', 'int32', 'bool'],
    ops: new Set(Object.keys(BUILTIN_OP_TABLE)),
    maxBuffersPerKernel: 64,
    sync: true,
  },
  compile(program: KernelProgram): Executable {
    checkProgram(toyBackend, program);
    // Temps and constants get storage once; slots are ignored (each temp has its own array).
    const fixed = new Map<number, TypedArray>();
    for (const b of program.buffers) {
      if (b.kind === 'temp') fixed.set(b.id, typedArrayFor(b.dtype, b.size));
      if (b.kind === 'const') fixed.set(b.id, program.constants[b.constant!]!);
    }
    return {
      program,
      sources: program.kernels.map(() => '(interpreted)'),
      run(inputs: DeviceBuffer[]): DeviceBuffer[] {
        checkRunInputs(program, inputs, 'toy');
        const buffers = new Map(fixed);
        program.inputs.forEach((id, i) => {
          buffers.set(id, asHostBuffer(inputs[i]!, 'toy').data);
        });
        const outputs = program.outputs.map((id) => {
          const decl = program.buffers.find((b) => b.id === id)!;
          const out = allocateHostBuffer('toy', decl.dtype, decl.size);
          buffers.set(id, out.data);
          return out;
        });
        for (const kernel of program.kernels) evaluateKernel(kernel, buffers);
        return outputs;
      },
      dispose() {},
    };
  },
  allocate: (dtype, size) => allocateHostBuffer('toy', dtype, size),
  upload: (buffer, data) => uploadHostBuffer(asHostBuffer(buffer, 'toy'), data),
  download: (buffer) => asHostBuffer(buffer, 'toy').data.slice(),
  free(buffer) {
    asHostBuffer(buffer, 'toy').freed = true;
  },
};
