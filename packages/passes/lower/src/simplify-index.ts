// Index simplification lives in @paradox/ir's kernel analysis (one copy for lowering, the verifier and backends).
export { type IndexRanges, indexKey, indexRange, simplifyIndex } from '@paradox/ir';
