/**
 * A canonical, injective text for attribute values: object keys sorted, and numbers spelled so
 * that values JSON would conflate stay distinct (JSON writes NaN as null and -0 as 0, which
 * would merge `full 0` with `full -0`, or a null slice stop with a NaN).
 */
export function canonicalKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
