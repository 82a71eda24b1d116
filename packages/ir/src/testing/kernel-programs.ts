import type { Kernel, KernelProgram, ScalarExpr } from '../kernel.js';
import type { UnaryOp } from '../op-types.js';
import { IR_VERSION } from '../version.js';

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A program of one float32 kernel reading buffer 0 (input, `inputShape`) and writing buffer 1 (output). */
export function oneKernelProgram(kernel: Kernel, inputShape: number[], outputShape: number[]): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'handwritten',
    buffers: [
      { id: 0, dtype: 'float32', size: numel(inputShape), kind: 'input' },
      { id: 1, dtype: 'float32', size: numel(outputShape), kind: 'output' },
    ],
    kernels: [kernel],
    inputs: [0],
    outputs: [1],
    outputShapes: [outputShape],
    inputShapes: [inputShape],
    slots: [],
    constants: [],
  };
}

/**
 * One elementwise kernel over [4]: a load, then `length` unary ops each reading the previous one
 * (`fns` in turn), stored. Renderers must take a 100,000-op chain without deep recursion.
 */
export function unaryChainProgram(length: number, fns: readonly UnaryOp[]): KernelProgram {
  const axis = { k: 'axis' as const, axis: 0 };
  const exprs: ScalarExpr[] = [{ op: 'load', dtype: 'float32', buffer: 0, index: axis }];
  for (let i = 1; i <= length; i++)
    exprs.push({ op: 'unary', fn: fns[(i - 1) % fns.length]!, dtype: 'float32', a: i - 1 });
  return oneKernelProgram(
    {
      name: 'k0',
      kind: 'elementwise',
      domain: [4],
      exprs,
      stores: [{ buffer: 1, index: axis, value: length }],
    },
    [4],
    [4],
  );
}
