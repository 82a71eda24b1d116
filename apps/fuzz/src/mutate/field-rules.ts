/**
 * What each field of a Paradox document may hold, so the fuzzer knows which mutations make a
 * document invalid by construction (and must then be rejected). Fields are named the same in
 * every place they appear, so a field's last path segment (and its parent) decide.
 */
/** 'kernel-program' is the in-memory object compile() takes (its irVersion is not read). */
export type DocumentKind = 'graph' | 'program' | 'kernel-program' | 'export';
export type Path = (string | number)[];

/** Fields a valid document may omit. */
const OPTIONAL = new Set([
  'guard',
  'other',
  'reduce',
  'contraction',
  'sourceNodes',
  'phase',
  'slot',
  'constant',
  'source',
  'group',
  'column',
  'fn@source',
]);

/** Strings whose content is checked (an enum, a literal, an identifier, base64, a version). */
const CHECKED_STRINGS = new Set([
  'irVersion',
  'kind',
  'dtype',
  'op',
  'fn',
  'k',
  'distribution',
  'phase',
  'data',
  'format',
  'name@kernels',
]);

/** Integer fields that may legitimately be negative (index constants, bounds, attr axes). */
const SIGNED = new Set(['v', 'lo', 'hi', 'c', 'axes', 'axis', 'perm', 'starts', 'stops', 'steps']);

/** Fields that reference another entity by id/position: a reference to nothing is invalid. */
const REFERENCES = new Set([
  'a',
  'b',
  'c',
  'value@stores',
  'buffer',
  'lhs',
  'rhs',
  'acc',
  'inputs',
  'outputs',
]);

/** Array fields whose entries may be null (a slice stop of null runs to the end). */
const NULLABLE_ITEMS = new Set(['stops']);

/** Number fields that may hold any float (NaN and infinities included) when their dtype is float. */
const VALUE_FIELDS = new Set(['value', 'other']);

/** The key a field is known by: its name, qualified by its container where names repeat. */
export function fieldKey(path: Path): { name: string; qualified: string; inAttrs: boolean } {
  const names = path.filter((p): p is string => typeof p === 'string');
  const name = names[names.length - 1] ?? '';
  const parent = names[names.length - 2] ?? '';
  const inAttrs = names.includes('attrs');
  const inTree = names.includes('inputTree') || names.includes('outputTree');
  const qualified = inTree ? `tree:${name}` : parent ? `${name}@${parent}` : name;
  return { name, qualified, inAttrs };
}

export interface FieldFacts {
  optional: boolean;
  checkedString: boolean;
  signed: boolean;
  reference: boolean;
  anyFloat: boolean;
  /** A free-form field (names, tree statics, source locations): any value of its type is valid. */
  free: boolean;
  /** null is a valid value here. */
  nullable: boolean;
}

export function fieldFacts(kind: DocumentKind, path: Path, parent: unknown): FieldFacts {
  const { name, qualified, inAttrs } = fieldKey(path);
  const inTree = qualified.startsWith('tree:');
  const inSource = path.includes('source');
  const inIndexExpr = typeof parent === 'object' && parent !== null && 'k' in parent;
  const free =
    inTree ||
    inSource ||
    name === 'sourceNodes' ||
    (name === 'name' && !path.includes('kernels')) ||
    (kind !== 'program' && kind !== 'kernel-program' && name === 'id' && !path.includes('buffers')) ||
    name === 'backend' ||
    (kind === 'kernel-program' && name === 'irVersion');
  const optional = OPTIONAL.has(name) || OPTIONAL.has(qualified) || inSource;
  return {
    optional: optional && !inAttrs,
    checkedString: CHECKED_STRINGS.has(name) || CHECKED_STRINGS.has(qualified),
    signed: SIGNED.has(name) || inAttrs,
    // An index expression's `a`/`b` are sub-expressions and its `c` a coefficient, not references.
    reference: !inAttrs && !inIndexExpr && (REFERENCES.has(name) || REFERENCES.has(qualified)),
    anyFloat: VALUE_FIELDS.has(name),
    free,
    nullable: NULLABLE_ITEMS.has(name) && typeof path[path.length - 1] === 'number',
  };
}
