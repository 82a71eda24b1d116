import type { SeededRandom } from '@paradox/ir';
import { INJECTION_MARKER, type Mutation } from './json-mutator.js';

/**
 * Mutations of the IR text form (printGraph output): truncation, deleted/duplicated/swapped lines,
 * references to undefined values, unknown dtypes, odd numbers, hostile text, deep brackets and
 * prototype-named attributes. `invalid` is set only where the result cannot be a valid graph.
 */
const ODD_NUMBERS = ['nan', '-inf', 'inf', '-1', '1e308', '0.5', '99999999999', '-0', '2147483648'];
const HOSTILE = [
  '"',
  '\\',
  '*/',
  '$' + '{x}',
  '\u0000',
  '\u202e',
  '%',
  '@',
  '{',
  '}',
  '[',
  ']',
  '=',
  ',',
  'x'.repeat(10_000),
];

export function mutateText(text: string, rng: SeededRandom): { text: string; mutation: Mutation } {
  const lines = text.split('\n');
  const bodyStart = 1;
  const returnLine = lines.findIndex((l) => l.trim().startsWith('return'));
  const defs = lines
    .map((l, i) => ({ l, i }))
    .filter(({ l, i }) => i >= bodyStart && i < returnLine && l.includes(' = '));
  const kind = rng.weighted({
    truncate: 2,
    deleteLine: 2,
    undefinedRef: defs.length > 0 ? 3 : 0,
    badDtype: 2,
    number: 3,
    hostile: 3,
    deepNesting: 1,
    swapLines: defs.length > 1 ? 1 : 0,
    duplicateDefinition: defs.length > 0 ? 2 : 0,
    extraAttr: defs.length > 0 ? 2 : 0,
  });
  const out = (t: string, invalid: boolean, marker?: string) => ({
    text: t,
    mutation: { kind: 'typeSwap' as const, path: `text:${kind}`, invalid, ...(marker ? { marker } : {}) },
  });
  switch (kind) {
    case 'truncate':
      return out(text.slice(0, rng.int(0, text.lastIndexOf('}') - 1)), true);
    case 'deleteLine': {
      const i = rng.int(0, lines.length - 1);
      const structural = i === 0 || i === returnLine || lines[i]!.trim() === '}';
      return out(lines.filter((_, k) => k !== i).join('\n'), structural && lines[i]!.trim() !== '');
    }
    case 'undefinedRef': {
      const { l, i } = rng.pick(defs);
      const rhs = l.indexOf(' = ');
      const refs = [...l.slice(rhs).matchAll(/%[\w.]+/g)];
      if (refs.length === 0) return out(text, false);
      const r = rng.pick(refs);
      const at = rhs + r.index!;
      lines[i] = `${l.slice(0, at)}%missing_${rng.int(0, 99)}${l.slice(at + r[0].length)}`;
      return out(lines.join('\n'), true);
    }
    case 'badDtype': {
      const matches = [...text.matchAll(/\b(f32|i32|bool|f16)\[/g)];
      const m = rng.pick(matches);
      return out(
        `${text.slice(0, m.index!)}${rng.pick(['f64', 'u8', 'float'])}${text.slice(m.index! + m[1]!.length)}`,
        true,
      );
    }
    case 'number': {
      const matches = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (matches.length === 0) return out(text, false);
      const m = rng.pick(matches);
      return out(
        `${text.slice(0, m.index!)}${rng.pick(ODD_NUMBERS)}${text.slice(m.index! + m[0].length)}`,
        false,
      );
    }
    case 'hostile': {
      const at = rng.int(0, text.length);
      const marker = `${INJECTION_MARKER}${rng.int(0, 1e6)}`;
      return out(`${text.slice(0, at)}${marker}${rng.pick(HOSTILE)}${text.slice(at)}`, false, marker);
    }
    case 'deepNesting': {
      const depth = rng.pick([100, 5000, 50_000]);
      const at = text.indexOf('=[');
      const nest = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      if (at < 0) return out(`${text.slice(0, text.length / 2)}${nest}${text.slice(text.length / 2)}`, false);
      return out(`${text.slice(0, at + 1)}${nest}, ${text.slice(at + 1)}`, true);
    }
    case 'swapLines': {
      const [a, b] = [rng.pick(defs).i, rng.pick(defs).i];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return out(lines.join('\n'), false);
    }
    case 'duplicateDefinition': {
      const { l, i } = rng.pick(defs);
      lines.splice(i + 1, 0, l);
      return out(lines.join('\n'), true);
    }
    default: {
      const { l, i } = rng.pick(defs);
      const key = rng.pick(['__proto__', 'constructor', 'toString', 'prototype', 'polluted']);
      lines[i] = l.includes('{') ? l.replace('{', `{${key}=1, `) : `${l} {${key}=1}`;
      return out(lines.join('\n'), true);
    }
  }
}
