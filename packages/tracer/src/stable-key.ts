// Attr keys spell every number exactly (NaN, ±Infinity and -0 stay distinct): ir's canonical key.
export { canonicalKey as stableKey } from '@paradox/ir';
