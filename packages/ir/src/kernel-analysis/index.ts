export {
  type AffineCoefficients,
  evalIndex,
  forEachLeaf,
  formatIndex,
  indexCoefficients,
  usesRaxis,
} from './index-expr.js';
export { type ExprPhase, exprIndices, exprOperands, exprPhases, exprReadsRaxis } from './phases.js';
export { formatExpr, printKernelLines, printProgram } from './print-program.js';
export { verifyProgram } from './verify-program.js';
