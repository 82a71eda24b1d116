import type { OpDef } from '../op-types.js';
import { binaryOps } from './binary.js';
import { convOps } from './conv.js';
import { creationOps } from './creation.js';
import { cumsumOps } from './cumsum.js';
import type { BuiltinOpTable } from './define.js';
import { erfOps } from './erf.js';
import { indexingOps } from './indexing.js';
import { matmulOps } from './matmul.js';
import { movementOps } from './movement.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { unaryOps } from './unary.js';

/** Op set v1. Typed as the full table so that an op declared in OpAttrs but defined nowhere fails to compile. */
export const BUILTIN_OP_TABLE: BuiltinOpTable = {
  ...unaryOps,
  ...binaryOps,
  ...reduceOps,
  ...matmulOps,
  ...convOps,
  ...poolOps,
  ...cumsumOps,
  ...movementOps,
  ...creationOps,
  ...indexingOps,
  ...erfOps,
};

export const BUILTIN_OPS: readonly OpDef[] = Object.values(BUILTIN_OP_TABLE) as OpDef[];
