import { type Attrs, GraphBuilder, type OpName, type TensorType } from '@paradox/ir';
import { BoundedCache } from '../bounded-cache.js';
import type { OpExecutor } from '../executor.js';
import { stableKey } from '../stable-key.js';
import { Tensor } from '../tensor.js';
import { getEagerExecutor, type OpProgram } from './eager-executor.js';

/**
 * Eager mode's OpExecutor: every op becomes a one-node graph (built once per signature, typed and
 * canonicalized by the IR registry) and runs on the current EagerExecutor.
 */
const programs = new BoundedCache<string, OpProgram>(4096);

function programFor(op: OpName, inputTypes: readonly TensorType[], attrs: Attrs): OpProgram {
  const key = `${op}${stableKey(attrs)}(${inputTypes.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(',')})`;
  let program = programs.get(key);
  if (!program) {
    const b = new GraphBuilder(op);
    const ids = inputTypes.map((t, i) => b.input(`x${i}`, { dtype: t.dtype, shape: [...t.shape] }));
    const out = b.op(op, ids, attrs);
    b.output(out);
    program = { key, graph: b.build(), type: b.typeOf(out) };
    programs.set(key, program);
  }
  return program;
}

export const eagerOps: OpExecutor = {
  execute(op: OpName, inputs: readonly Tensor[], attrs: Attrs): Tensor {
    const program = programFor(
      op,
      inputs.map((t) => t.type),
      attrs,
    );
    const storage = getEagerExecutor().run(program, inputs);
    return new Tensor(program.type, storage);
  },
};
