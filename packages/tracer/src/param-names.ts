/**
 * Names for graph inputs taken from the traced function's parameters, so the IR reads like the
 * user's code (`graph @layer(%x: f32[4,8], %b: f32[8])`). Only plain identifier parameters are
 * recognized; anything else (destructuring, defaults with calls...) falls back to `arg<i>`.
 */
const IDENT = /^[A-Za-z_$][\w$]*$/;

export function parameterNames(fn: (...args: never[]) => unknown): (string | undefined)[] {
  const src = Function.prototype.toString.call(fn);
  const arrowOne = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrowOne) return [arrowOne[1]];
  const list = /^[^(]*\(([^()]*)\)/.exec(src);
  if (!list) return [];
  return list[1]!.split(',').map((p) => {
    const name = p
      .trim()
      .replace(/^\.\.\./, '')
      .replace(/\s*=.*$/s, '');
    return IDENT.test(name) ? name : undefined;
  });
}

/** An identifier usable as an IR value name: letters, digits and `_`, not starting with a digit. */
export function sanitizeName(raw: string): string {
  const s = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}
