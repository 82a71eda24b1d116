import type { Backend } from '@paradox/backend';
import { execute } from '@paradox/backend-conformance';
import { type KernelProgram, type SeededRandom, typedArrayFor } from '@paradox/ir';
import { basePrograms, cloneDocument } from '../documents.js';
import { mutateDocument } from '../mutate/json-mutator.js';
import type { DocumentTarget } from './documents-campaign.js';

/**
 * Accepted programs up to this many buffer elements and loop iterations are also run once (sync
 * backends). Past it a run could take hours: a valid program may loop 2^40 times to store one
 * element (a run-time budget is #24 item 5's), and a synchronous run cannot be interrupted.
 */
const RUN_ELEMENTS = 1 << 20;
const RUN_ITERATIONS = 1 << 22;

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

function runnable(program: KernelProgram): boolean {
  const elements = program.buffers.reduce((n, b) => n + b.size, 0);
  const iterations = program.kernels.reduce(
    (n, k) => n + product(k.domain) * Math.max(1, product(k.reduce?.shape ?? [])),
    0,
  );
  return elements <= RUN_ELEMENTS && iterations <= RUN_ITERATIONS;
}

/**
 * Mutated kernel programs handed straight to `Backend.compile` (no loader in front): compile()
 * must reject an invalid program with a typed error, never render it, crash or hang. With
 * `runAccepted` (synchronous sandboxed backends, cheap to run) an accepted program is also run
 * once on zeros: what compile() accepts must run without an untyped error.
 */
export function compileTarget(
  label: string,
  backend: Backend,
  seed: number,
  runAccepted: boolean,
): DocumentTarget<KernelProgram> {
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
      try {
        if (runAccepted && backend.capabilities.sync && runnable(doc)) {
          const inputs = doc.inputs.map((id) => {
            const decl = doc.buffers.find((b) => b.id === id)!;
            return typedArrayFor(decl.dtype, decl.size);
          });
          await execute(backend, exe, doc, inputs);
        }
        return [...exe.sources];
      } finally {
        exe.dispose();
      }
    },
  };
}
