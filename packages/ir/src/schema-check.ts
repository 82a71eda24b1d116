import { safeParse } from 'zod/mini';
import type { $ZodIssue, $ZodType } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

/**
 * Validates data against a zod schema (zod/mini, which keeps browser bundles small, or classic zod,
 * which op authors may use) with zod's English issue messages. zod/mini loads no locale, so every
 * message would read "Invalid input"; the locale is passed per parse instead of through zod's global
 * config, which would change the messages of the user's own zod schemas.
 */
const english = en().localeError;

export type SchemaCheck<T> = { success: true; data: T } | { success: false; issue: $ZodIssue };

/** `data` parsed by `schema`, or the first issue (its path and message name what is wrong and where). */
export function checkSchema<T>(schema: $ZodType<T>, data: unknown): SchemaCheck<T> {
  const r = safeParse(schema, data, { error: english });
  return r.success ? { success: true, data: r.data } : { success: false, issue: r.error.issues[0]! };
}
