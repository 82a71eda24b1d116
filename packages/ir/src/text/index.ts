export { formatElement, formatNumber, parseNumber } from './numbers.js';
export { parseGraph } from './parser.js';
export {
  formatAttr,
  formatType as formatTensorType,
  printGraph,
  printGraphLines,
  printNode,
} from './printer.js';
