/** A failure as the page shows it: the error class, its message, and the user's call site when known. */
import { describeSite, USER_FILE } from './user-code.js';

export interface ShownError {
  readonly name: string;
  readonly message: string;
  /** `playground-input.js:3:14`: where in the editor text it happened, when the stack says. */
  readonly site?: string;
}

const USER_FRAME = new RegExp(`${USER_FILE.replace('.', '\\.')}:(\\d+):(\\d+)`);

export function describeError(error: unknown): ShownError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const named = error as Error & {
    site?: unknown;
    source?: { file?: string; line?: number; column?: number };
  };
  let site: string | undefined;
  if (typeof named.site === 'string') site = named.site;
  else if (named.source && typeof named.source.line === 'number')
    site = describeSite(named.source.file ?? '?', named.source.line, named.source.column);
  else {
    const m = USER_FRAME.exec(error.stack ?? '');
    if (m) site = describeSite(USER_FILE, Number(m[1]), Number(m[2]));
  }
  return { name: error.name, message: error.message, ...(site ? { site } : {}) };
}
