import type { Backend } from '@paradox/backend';
import type { KernelProgram, SeededRandom } from '@paradox/ir';
import { basePrograms, cloneDocument } from '../documents.js';
import { mutateDocument } from '../mutate/json-mutator.js';
import type { DocumentTarget } from './documents-campaign.js';

/**
 * Mutated kernel programs handed straight to `Backend.compile` (no loader in front): compile()
 * must reject an invalid program with a typed error, never render it, crash or hang.
 */
export function compileTarget(label: string, backend: Backend, seed: number): DocumentTarget<KernelProgram> {
  const bases = basePrograms(seed, 40, backend.capabilities);
  return {
    name: `compile:${label}`,
    make(rng: SeededRandom) {
      const doc = cloneDocument(rng.pick(bases));
      const mutation = mutateDocument(doc, 'kernel-program', rng);
      return { doc, mutation };
    },
    async deliver(doc) {
      const exe = await backend.compile(doc);
      const sources = [...exe.sources];
      exe.dispose();
      return sources;
    },
  };
}
