import { BackendError } from '@paradox/backend';
import {
  deserializeProgram,
  IrError,
  parseGraph,
  printGraph,
  SeededRandom,
  serializeProgram,
} from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { documentSeed, HangError, withinTime } from '../src/campaign.js';
import { baseGraphs, basePrograms, encodeDocument, reviveDocument } from '../src/documents.js';
import { everyDifference, type KnownDefect, matchKnownDefect } from '../src/known-defects.js';
import { mutateDocument } from '../src/mutate/json-mutator.js';
import { mutateText } from '../src/mutate/text-mutator.js';
import { isTypedError } from '../src/typed-errors.js';

describe('fuzz harness', () => {
  it('starts from documents the loaders accept', () => {
    for (const p of basePrograms(3, 10)) expect(() => deserializeProgram(serializeProgram(p))).not.toThrow();
    for (const g of baseGraphs(3, 10)) expect(() => parseGraph(printGraph(g))).not.toThrow();
  });

  it('rebuilds the same mutated document from the same seed', () => {
    const text = serializeProgram(basePrograms(5, 1)[0]!);
    const once = (seed: number) => {
      const doc = reviveDocument(text);
      const m = mutateDocument(doc, 'program', new SeededRandom(seed));
      return { text: encodeDocument(doc), m };
    };
    expect(once(documentSeed(9, 17))).toEqual(once(documentSeed(9, 17)));
    expect(documentSeed(9, 17)).not.toBe(documentSeed(9, 18));
  });

  it('marks as invalid only mutations the loader then rejects', () => {
    const text = serializeProgram(basePrograms(8, 1)[0]!);
    let invalid = 0;
    for (let seed = 0; seed < 400; seed++) {
      const doc = reviveDocument(text);
      const m = mutateDocument(doc, 'program', new SeededRandom(seed));
      if (!m.invalid) continue;
      invalid++;
      let encoded: string | undefined;
      try {
        encoded = encodeDocument(doc);
      } catch {
        continue; // nested too deep for JSON.stringify
      }
      expect(() => deserializeProgram(encoded), `${m.kind} at ${m.path}`).toThrow(IrError);
    }
    expect(invalid).toBeGreaterThan(100);
  });

  it('flags text mutations that cannot parse', () => {
    const text = printGraph(baseGraphs(4, 1)[0]!);
    for (let seed = 0; seed < 300; seed++) {
      const { text: mutated, mutation } = mutateText(text, new SeededRandom(seed));
      if (mutation.invalid) expect(() => parseGraph(mutated), mutation.path).toThrow(IrError);
    }
  });

  it('counts project errors as typed and others as untyped', () => {
    expect(isTypedError(new IrError('x'))).toBe(true);
    expect(isTypedError(new BackendError('x'))).toBe(true);
    expect(isTypedError(new TypeError('x'))).toBe(false);
    expect(isTypedError(new RangeError('Maximum call stack size exceeded'))).toBe(false);
  });

  it('reports work past its time bound as a hang', async () => {
    await expect(withinTime(() => new Promise(() => {}), 50)).rejects.toBeInstanceOf(HangError);
    await expect(
      withinTime(() => {
        const end = Date.now() + 80;
        while (Date.now() < end) {
          // a synchronous call cannot be interrupted; it is judged when it returns
        }
      }, 20),
    ).rejects.toBeInstanceOf(HangError);
    expect((await withinTime(() => 7, 1000)).value).toBe(7);
  });

  it('gates only failures a listed known defect describes', () => {
    const special = {
      category: 'mismatch' as const,
      index: 0,
      detail: 'p: [0] got 4.25, expected NaN; [2] got 0, expected -0',
    };
    const defects: KnownDefect[] = [
      {
        id: 'nan-lost',
        issue: 'an example',
        owner: 'test',
        campaigns: ['differential:wgsl'],
        matches: (f) => everyDifference(f.detail, (_got, want) => want === 'NaN' || want === '-0'),
      },
    ];
    expect(matchKnownDefect('differential:wgsl', special, defects)).toBe('nan-lost');
    expect(matchKnownDefect('differential:js', special, defects)).toBeUndefined();
    const finite = { category: 'mismatch' as const, index: 0, detail: 'p: [0] got 1.5, expected 2' };
    expect(matchKnownDefect('differential:wgsl', finite, defects)).toBeUndefined();
  });
});
