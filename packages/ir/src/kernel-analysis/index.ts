export { type AffineLoad, affineLoad } from './affine-load.js';
export { type ContractionView, contractionView } from './contraction-view.js';
export { outputsNotProvablyCovered, storedRun } from './coverage.js';
export { donatableOutputs } from './donation.js';
export { dynamicOffset } from './dynamic-index.js';
export {
  type AffineCoefficients,
  evalIndex,
  forEachLeaf,
  formatIndex,
  indexCoefficients,
  usesRaxis,
} from './index-expr.js';
export { type AffineForm, type IndexForm, IndexForms } from './index-forms.js';
export { accessRange } from './index-range.js';
export { MAX_INDEX_DEPTH, MAX_INDEX_NODES } from './index-shape.js';
export { type IndexRanges, indexKey, indexRange, simplifyIndex } from './index-simplify.js';
export { indexFitsInt32 } from './index-width.js';
export {
  domainPointExprs,
  indexAxes,
  type KernelFacts,
  kernelFacts,
  loadsStoredBuffer,
  reductionCone,
} from './kernel-facts.js';
export { collapseAxes, groupCoef, groupExtent } from './loop-collapse.js';
export { nonPositiveExprs } from './nonpositive-exprs.js';
export { type ExprPhase, exprCone, exprIndices, exprOperands, exprPhases, exprReadsRaxis } from './phases.js';
export { formatExpr, printKernelLines, printProgram } from './print-program.js';
export { checkProgramShape } from './program-shape.js';
export { verifyProgram } from './verify-program.js';
