import type { OpMapping } from '../context.js';
import { DFT_OPS } from './dft.js';
import { EINSUM_OPS } from './einsum.js';
import { ELEMENTWISE } from './elementwise.js';
import { GRID_SAMPLE_OPS } from './grid-sample.js';
import { INDEXING_OPS } from './indexing.js';
import { LOSS_OPS } from './loss.js';
import { NN_OPS } from './nn.js';
import { PAD_OPS } from './pad.js';
import { QUANTIZE_OPS } from './quantize.js';
import { REDUCE_OPS } from './reduce.js';
import { RESIZE_OPS } from './resize.js';
import { SCATTER_OPS } from './scatter.js';
import { SEQUENCE_OPS } from './sequence.js';
import { SHAPE_OPS } from './shape.js';
import { SIGNAL_OPS } from './signal.js';
import { TOPK_OPS } from './topk.js';
import { TRIG_OPS } from './trig.js';
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
  ...SEQUENCE_OPS,
  ...EINSUM_OPS,
  ...SIGNAL_OPS,
  ...RESIZE_OPS,
  ...QUANTIZE_OPS,
  ...SCATTER_OPS,
  ...TOPK_OPS,
  ...DFT_OPS,
  ...GRID_SAMPLE_OPS,
  ...TRIG_OPS,
};
