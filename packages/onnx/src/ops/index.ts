import type { OpMapping } from '../context.js';
import { ELEMENTWISE } from './elementwise.js';
import { NN_OPS } from './nn.js';
import { REDUCE_OPS } from './reduce.js';
import { SHAPE_OPS } from './shape.js';

/** Every mapped op of the default (ai.onnx) domain, by op type. */
export const ONNX_OPS: Record<string, OpMapping> = {
  ...ELEMENTWISE,
  ...SHAPE_OPS,
  ...REDUCE_OPS,
  ...NN_OPS,
};
