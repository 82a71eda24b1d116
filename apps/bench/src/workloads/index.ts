import type { Workload, WorkloadId } from '../types.js';
import { cnn } from './cnn.js';
import { compileTime } from './compile.js';
import { elementwise } from './elementwise.js';
import { mlp } from './mlp.js';
import { layerNorm, softmax } from './normalize.js';
import { smallOps } from './small-ops.js';
import { trainStep } from './train-step.js';

export const WORKLOAD_IDS: WorkloadId[] = ['W1', 'W2', 'W3', 'W4a', 'W4b', 'W5', 'W6', 'W7'];

export function allWorkloads(): Workload[] {
  return [elementwise(), mlp(), smallOps(), softmax(), layerNorm(), compileTime(), trainStep(), cnn()];
}
