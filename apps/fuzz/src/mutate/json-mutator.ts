import type { SeededRandom } from '@paradox/ir';
import { type DocumentKind, fieldFacts, type Path } from './field-rules.js';

/**
 * Mutates one place of a valid document (a JSON value tree; typed arrays are leaves) and says
 * whether the change makes the document invalid by construction. Mutations: deletions, type
 * swaps, NaN/Infinity/huge/negative/fractional numbers, references to nothing, unknown enum
 * values, hostile strings, deep nesting, prototype keys, duplicated elements.
 */
export type MutationKind =
  | 'delete'
  | 'typeSwap'
  | 'nonFinite'
  | 'fraction'
  | 'negative'
  | 'huge'
  | 'wrongId'
  | 'badEnum'
  | 'hostileString'
  | 'deepNesting'
  | 'prototypeKey'
  | 'duplicate';

export interface Mutation {
  kind: MutationKind;
  path: string;
  /** The mutated document is invalid by construction: accepting it is a failure. */
  invalid: boolean;
  /** A marker string planted in the document (generated source must never contain it). */
  marker?: string;
}

export const INJECTION_MARKER = 'PDXINJECT';

const HOSTILE = [
  '',
  ' ',
  '__proto__',
  'constructor',
  '*/ alert(1); /*',
  '"); process.exit(1); ("',
  '\u0000\u0001\u202e',
  '$' + '{process.exit(1)}',
  '\\u0041\n}\n',
  'x'.repeat(100_000),
  '🔥'.repeat(50),
  'NaN',
];
const HUGE = [2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53 + 2, 1e308];

type Container = Record<string | number, unknown>;
interface Site {
  path: Path;
  parent: Container | undefined;
  key: string | number | undefined;
  value: unknown;
}

function sites(root: unknown): Site[] {
  const out: Site[] = [];
  const walk = (
    value: unknown,
    path: Path,
    parent: Container | undefined,
    key: string | number | undefined,
  ) => {
    out.push({ path, parent, key, value });
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const kk = Array.isArray(value) ? Number(k) : k;
      walk(v, [...path, kk], value as Container, kk);
    }
  };
  walk(root, [], undefined, undefined);
  return out.slice(1);
}

function deep(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : ArrayBuffer.isView(v) ? 'typed' : typeof v;

function otherType(rng: SeededRandom, v: unknown): unknown {
  const options: unknown[] = ['7', 7, true, null, [], {}, [1, 2], { x: 1 }];
  return rng.pick(options.filter((o) => typeOf(o) !== typeOf(v)));
}

/** Whether a number at this site must be an integer of the dtype named beside it (int32/bool values). */
function integerValueField(parent: Container | undefined): boolean {
  const dtype = parent && typeof parent.dtype === 'string' ? parent.dtype : undefined;
  return dtype === 'int32' || dtype === 'bool';
}

/** Kernel names are identifiers (any identifier is valid); every other checked string is an enum or literal. */
function checkedStringInvalid(path: Path, text: string): boolean {
  const isKernelName = path[path.length - 1] === 'name' && path.includes('kernels');
  return isKernelName ? !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) : true;
}

/** Applies one random mutation in place; returns what it did. */
export function mutateDocument(root: unknown, docKind: DocumentKind, rng: SeededRandom): Mutation {
  const all = sites(root);
  for (let attempt = 0; attempt < 50; attempt++) {
    const site = rng.pick(all);
    const m = tryMutation(site, docKind, rng);
    if (m) return m;
  }
  throw new Error('no mutation applies to this document');
}

function set(site: Site, value: unknown): void {
  site.parent![site.key as string] = value;
}

function tryMutation(site: Site, docKind: DocumentKind, rng: SeededRandom): Mutation | undefined {
  const facts = fieldFacts(docKind, site.path, site.parent);
  const path = site.path.join('.');
  const v = site.value;
  const isArrayItem = typeof site.key === 'number';
  const kind = rng.weighted<MutationKind>({
    delete: 3,
    typeSwap: 3,
    nonFinite: typeof v === 'number' ? 3 : 0,
    fraction: typeof v === 'number' ? 2 : 0,
    negative: typeof v === 'number' ? 2 : 0,
    huge: typeof v === 'number' ? 2 : 0,
    wrongId: facts.reference && (typeof v === 'number' || typeof v === 'string') ? 3 : 0,
    badEnum: typeof v === 'string' && facts.checkedString ? 3 : 0,
    hostileString: typeof v === 'string' ? 2 : 0,
    deepNesting: 1,
    prototypeKey: v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) ? 1 : 0,
    duplicate: Array.isArray(v) && v.length > 0 ? 1 : 0,
  });
  const numeric = typeof v === 'number';
  const anyFloat = facts.anyFloat && !integerValueField(site.parent);
  switch (kind) {
    case 'delete':
      if (isArrayItem) {
        (site.parent as unknown as unknown[]).splice(site.key as number, 1);
        return { kind, path, invalid: false };
      }
      delete site.parent![site.key!];
      return { kind, path, invalid: !facts.optional && !facts.free };
    case 'typeSwap': {
      const swapped = otherType(rng, v);
      set(site, swapped);
      // A nullable integer (a slice stop) may become null, or an integer when it was null.
      const stillValid = facts.nullable && (swapped === null || Number.isInteger(swapped));
      return { kind, path, invalid: !facts.free && !stillValid };
    }
    case 'nonFinite':
      set(site, rng.pick([Number.NaN, Infinity, -Infinity]));
      return { kind, path, invalid: numeric && !anyFloat && !facts.free };
    case 'fraction':
      set(site, (v as number) + 0.5);
      return { kind, path, invalid: Number.isInteger(v) && !anyFloat && !facts.free };
    case 'negative': {
      const n = -1 - Math.abs(v as number);
      set(site, Number.isFinite(n) ? n : -1);
      return { kind, path, invalid: !facts.signed && !facts.anyFloat && !facts.free };
    }
    case 'huge':
      set(site, rng.pick(HUGE));
      return { kind, path, invalid: integerValueField(site.parent) && facts.anyFloat };
    case 'wrongId':
      set(site, typeof v === 'number' ? rng.pick([1_000_000, 4096]) : `missing_${rng.int(0, 999)}`);
      return { kind, path, invalid: true };
    case 'badEnum': {
      const text = rng.pick(['float64', 'frobnicate', 'not an identifier', 'k1; evil', '@@@@', '99.0', '']);
      set(site, text);
      return { kind, path, invalid: checkedStringInvalid(site.path, text) };
    }
    case 'hostileString': {
      const marker = `${INJECTION_MARKER}${rng.int(0, 1e6)}`;
      const text = `${marker}${rng.pick(HOSTILE)}`;
      set(site, text);
      return { kind, path, invalid: facts.checkedString && checkedStringInvalid(site.path, text), marker };
    }
    case 'deepNesting':
      set(site, deep(rng.pick([50, 3000, 20_000])));
      return { kind, path, invalid: !facts.free };
    case 'prototypeKey': {
      const key = rng.pick(['__proto__', 'constructor', 'prototype', 'toString']);
      Object.defineProperty(v, key, {
        value: { polluted: true },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return { kind, path: `${path}.${key}`, invalid: false };
    }
    case 'duplicate': {
      const a = v as unknown[];
      a.splice(rng.int(0, a.length), 0, structuredClone(a[rng.int(0, a.length - 1)]));
      return { kind, path, invalid: false };
    }
  }
}
