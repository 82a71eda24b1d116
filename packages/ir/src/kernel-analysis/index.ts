export {
  type AffineCoefficients,
  evalIndex,
  forEachLeaf,
  formatIndex,
  indexCoefficients,
  usesRaxis,
} from './index-expr.js';
export { type ExprPhase, exprOperands, exprPhases } from './phases.js';
export { formatExpr, printKernelLines, printProgram } from './print-program.js';
export { verifyProgram } from './verify-program.js';
