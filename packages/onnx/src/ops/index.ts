import type { OpMapping } from '../context.js';
import { ELEMENTWISE } from './elementwise.js';
import { INDEXING_OPS } from './indexing.js';
import { LOSS_OPS } from './loss.js';
import { NN_OPS } from './nn.js';
import { PAD_OPS } from './pad.js';
import { REDUCE_OPS } from './reduce.js';
import { SHAPE_OPS } from './shape.js';
import { WINDOW_OPS } from './window.js';

/** Every mapped op of the default (ai.onnx) domain, by op type. */
export const ONNX_OPS: Record<string, OpMapping> = {
  ...ELEMENTWISE,
  ...SHAPE_OPS,
  ...REDUCE_OPS,
  ...NN_OPS,
  ...INDEXING_OPS,
  ...LOSS_OPS,
  ...PAD_OPS,
  ...WINDOW_OPS,
};
