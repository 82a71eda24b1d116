import {
  deserializeGraph,
  deserializeProgram,
  type Graph,
  type KernelProgram,
  parseGraph,
  printGraph,
  type SeededRandom,
  serializeGraph,
  serializeProgram,
} from '@paradox/ir';
import { loadCompiled } from '@paradox/jit';
import { baseGraphs, basePrograms, encodeDocument, reviveDocument } from '../documents.js';
import type { DocumentKind } from '../mutate/field-rules.js';
import { mutateDocument } from '../mutate/json-mutator.js';
import { mutateText } from '../mutate/text-mutator.js';
import type { DocumentTarget } from './documents-campaign.js';
import { baseExports } from './exports.js';

/** A JSON document target: mutate the value tree, deliver as text (mostly) or as a parsed object. */
function jsonTarget(
  name: string,
  kind: DocumentKind,
  bases: string[],
  load: (input: unknown) => unknown,
): DocumentTarget<{ text?: string; value: unknown }> {
  return {
    name,
    make(rng: SeededRandom) {
      const value = reviveDocument(rng.pick(bases));
      const mutation = mutateDocument(value, kind, rng);
      let text: string | undefined;
      if (rng.chance(0.85)) {
        try {
          text = encodeDocument(value);
        } catch {
          // too deep for JSON.stringify: delivered as an object instead
        }
      }
      if (text === undefined) mutation.path += ' [as object]';
      return { doc: text === undefined ? { value } : { text, value }, mutation };
    },
    deliver(doc) {
      load(doc.text ?? doc.value);
      return undefined;
    },
  };
}

export function loaderTargets(seed: number): DocumentTarget<unknown>[] {
  const graphs: Graph[] = baseGraphs(seed, 40);
  const programs: KernelProgram[] = basePrograms(seed + 1000, 40);
  const graphTexts = graphs.map(printGraph);
  return [
    jsonTarget('deserializeGraph', 'graph', graphs.map(serializeGraph), deserializeGraph),
    {
      name: 'parseGraph',
      make(rng: SeededRandom) {
        const { text, mutation } = mutateText(rng.pick(graphTexts), rng);
        return { doc: text, mutation };
      },
      deliver(text: unknown) {
        parseGraph(text as string);
        return undefined;
      },
    },
    jsonTarget('deserializeProgram', 'program', programs.map(serializeProgram), deserializeProgram),
    jsonTarget('loadCompiled', 'export', baseExports(), (input) => loadCompiled(input as string)),
  ] as DocumentTarget<unknown>[];
}
