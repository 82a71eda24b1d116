// The canonical key lives in @paradox/ir (lowering and the tracer key by it too).
export { canonicalKey } from '@paradox/ir';
