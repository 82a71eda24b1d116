/**
 * The IR schema version written into every document: MAJOR.MINOR (a minor bump only adds optional
 * fields). 1.1: op set v2 ops (gather, scatterAdd, argmin, erf) and a load's optional `dynamic` index.
 */
export const IR_VERSION = '1.1';

export interface ParsedVersion {
  major: number;
  minor: number;
}

export function parseVersion(v: string): ParsedVersion | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export const IR_MAJOR = parseVersion(IR_VERSION)!.major;
