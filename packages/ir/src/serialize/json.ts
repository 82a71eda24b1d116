import type { $ZodType } from 'zod/v4/core';
import { IrError, SerializationError, VersionError } from '../errors.js';
import { checkSchema } from '../schema-check.js';
import { formatNumber, parseNumber } from '../text/numbers.js';
import { IR_MAJOR, IR_VERSION, parseVersion } from '../version.js';

/**
 * JSON plumbing shared by both dialects: numbers JSON cannot hold (NaN, +-Infinity, -0) travel as
 * {"$num": "nan" | "inf" | "-inf" | "-0"}, and documents pass version checks and migrations before zod.
 * `toJson` is JSON.stringify with that encoding (exported for loaders that take objects, so a NaN is
 * never turned into null).
 */
export function toJson(doc: unknown): string {
  return JSON.stringify(doc, (_key, v) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { $num: formatNumber(v) } : v,
  );
}

function reviveNumbers(_key: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$num') {
      const text = (v as { $num: unknown }).$num;
      const n = typeof text === 'string' ? parseNumber(text) : undefined;
      if (n === undefined) throw new SerializationError(`invalid $num ${JSON.stringify(text)}`);
      return n;
    }
  }
  return v;
}

/** A document migration from `fromMajor`.x to (fromMajor + 1).0. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
const migrations = new Map<number, Migration>();

/** Registers the upgrade from major `fromMajor` to the next major. One per major. */
export function registerMigration(fromMajor: number, migrate: Migration): void {
  if (!Number.isInteger(fromMajor) || fromMajor < 0 || fromMajor >= IR_MAJOR) {
    throw new IrError(
      `registerMigration: fromMajor must be an integer in [0, ${IR_MAJOR}), got ${fromMajor}`,
    );
  }
  if (migrations.has(fromMajor))
    throw new IrError(`a migration from IR major ${fromMajor} is already registered`);
  migrations.set(fromMajor, migrate);
}

/**
 * Parses JSON text (or takes an already-parsed value), checks `irVersion`, applies migrations from older
 * majors, and validates with `schema`. Every failure is a SerializationError or VersionError.
 */
export function loadDocument<T>(input: unknown, kind: 'graph' | 'program', schema: $ZodType<T>): T {
  let raw: unknown;
  try {
    raw =
      typeof input === 'string' ? JSON.parse(input, reviveNumbers) : JSON.parse(toJson(input), reviveNumbers); // NaN/±Infinity/-0 travel as $num, never as null
  } catch (e) {
    if (e instanceof IrError) throw e;
    throw new SerializationError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new SerializationError('document must be a JSON object');
  let doc = raw as Record<string, unknown>;
  if (typeof doc.irVersion !== 'string') throw new SerializationError('missing string field', 'irVersion');
  const found = doc.irVersion;
  const v = parseVersion(found);
  if (!v) throw new SerializationError(`'${found}' is not MAJOR.MINOR`, 'irVersion');
  if (v.major > IR_MAJOR)
    throw new VersionError(found, IR_VERSION, 'written by a newer Paradox; upgrade to read it');
  for (let major = v.major; major < IR_MAJOR; major++) {
    const migrate = migrations.get(major);
    if (!migrate)
      throw new VersionError(found, IR_VERSION, `no migration from major ${major} to ${major + 1}`);
    try {
      doc = migrate(doc);
    } catch (e) {
      if (e instanceof IrError) throw e;
      throw new SerializationError(`migration from IR ${major}.x failed: ${(e as Error).message}`);
    }
  }
  if (doc.kind !== kind)
    throw new SerializationError(
      `expected a ${kind} document, found kind ${JSON.stringify(doc.kind)}`,
      'kind',
    );
  const parsed = checkSchema(schema, doc);
  if (!parsed.success) {
    const { issue } = parsed;
    throw new SerializationError(issue.message, issue.path.map(String).join('.') || '(document)');
  }
  return parsed.data;
}

/**
 * Runs a loader so that only typed errors escape: anything else (e.g. a RangeError from absurdly deep
 * nesting) becomes a SerializationError.
 */
export function typedErrorsOnly<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof IrError) throw e;
    throw new SerializationError(`document could not be loaded: ${(e as Error)?.message ?? String(e)}`);
  }
}
