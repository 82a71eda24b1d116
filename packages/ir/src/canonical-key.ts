/**
 * A canonical, injective text for plain data (attrs, scalar exprs), for use as a cache or dedup key:
 * object keys sorted, and every number spelled exactly. JSON is not a key: it writes NaN, Infinity
 * and -Infinity all as `null` and -0 as `0`, which would merge `full 0` with `full -0`, or a NaN
 * constant with an infinite one.
 */
export function canonicalKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
