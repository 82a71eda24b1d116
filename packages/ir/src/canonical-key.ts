/**
 * A canonical, injective text for plain data (attrs, scalar exprs), for use as a cache or dedup key:
 * object keys sorted, and every number spelled exactly. JSON is not a key: it writes NaN, Infinity
 * and -Infinity all as `null` and -0 as `0`, which would merge `full 0` with `full -0`, or a NaN
 * constant with an infinite one.
 *
 * Hot (lowering keys every scalar expr and index with it), so it concatenates in loops and quotes
 * each distinct object key once.
 */
export function canonicalKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      if (i in value) text += canonicalKey(value[i]); // a hole prints as nothing, as join() does
    }
    return `${text}]`;
  }
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) text += ',';
    text += `${quoted(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`;
  }
  return `${text}}`;
}

/** JSON-quoted object keys: expr and attr field names, a few dozen in practice (bounded all the same). */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_CAPACITY = 1024;

function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_CAPACITY) quotedKeys.set(key, q);
  }
  return q;
}
