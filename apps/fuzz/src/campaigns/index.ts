import type { Backend } from '@paradox/backend';
import { type FuzzBackend, presentBackends } from '../backends.js';
import type { CampaignResult } from '../campaign.js';
import { compileTarget } from './compile.js';
import { runDifferential } from './differential.js';
import { runDocumentCampaign } from './documents-campaign.js';
import { loaderTargets } from './loaders.js';

/**
 * The campaign catalogue: the four loaders, then `compile:<backend>` and `differential:<backend>`
 * for every backend present in the repository. Time bounds and batching per backend live here.
 */
export const LOADERS = ['deserializeGraph', 'parseGraph', 'deserializeProgram', 'loadCompiled'];

export interface RunOptions {
  count: number;
  seed: number;
  only?: number;
  onProgress?: (done: number) => void;
}

/** Per-backend pacing: slow compilers get longer bounds and more work in flight at once. */
const PACING: Record<
  string,
  { compileTimeMs: number; compileConcurrency: number; batchConcurrency: number }
> = {
  wgsl: { compileTimeMs: 20_000, compileConcurrency: 16, batchConcurrency: 2 },
  'cuda-emu': { compileTimeMs: 180_000, compileConcurrency: 500, batchConcurrency: 4 },
  c: { compileTimeMs: 10_000, compileConcurrency: 1, batchConcurrency: 4 },
};
/**
 * Backends whose runs cannot take the process down (JS and WebAssembly sandboxes): accepted
 * mutated programs are run there too. Native code (c) only compiles, so a hole in validation
 * shows as a finding rather than a crashed campaign.
 */
const SANDBOXED_RUNS = ['js', 'toy', 'wasm'];
const DEFAULT_PACING = { compileTimeMs: 3_000, compileConcurrency: 1, batchConcurrency: 1 };

export async function campaignNames(selectors: string[]): Promise<string[]> {
  const backends = presentBackends().map((b) => b.name);
  const all = [
    ...LOADERS,
    ...backends.map((b) => `compile:${b}`),
    ...backends.map((b) => `differential:${b}`),
  ];
  const picked = all.filter((name) =>
    selectors.some(
      (s) =>
        s === 'all' || s === name || (s === 'loaders' && LOADERS.includes(name)) || name.startsWith(`${s}:`),
    ),
  );
  const unknown = selectors.filter(
    (s) => !['all', 'loaders'].includes(s) && !all.some((n) => n === s || n.startsWith(`${s}:`)),
  );
  if (unknown.length > 0) throw new Error(`unknown campaign ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return picked;
}

const instances = new Map<string, Promise<Backend>>();
function backendNamed(name: string): { fuzz: FuzzBackend; backend: Promise<Backend> } {
  const fuzz = presentBackends().find((b) => b.name === name);
  if (!fuzz) throw new Error(`no backend '${name}' in this repository`);
  if (!instances.has(name)) instances.set(name, fuzz.create());
  return { fuzz, backend: instances.get(name)! };
}

export async function runCampaign(name: string, o: RunOptions): Promise<CampaignResult> {
  const common = {
    count: o.count,
    seed: o.seed,
    ...(o.only !== undefined ? { only: o.only } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  };
  if (LOADERS.includes(name)) {
    const target = loaderTargets(o.seed).find((t) => t.name === name)!;
    return runDocumentCampaign(target, { ...common, timeMs: 3_000 });
  }
  const [kind, label] = name.split(':') as [string, string];
  const backend = await backendNamed(label).backend;
  const pacing = PACING[label] ?? DEFAULT_PACING;
  if (kind === 'compile') {
    const runAccepted = SANDBOXED_RUNS.includes(label);
    return runDocumentCampaign(compileTarget(label, backend, o.seed, runAccepted), {
      ...common,
      timeMs: pacing.compileTimeMs,
      concurrency: pacing.compileConcurrency,
    });
  }
  return runDifferential(label, backend, {
    programs: o.count,
    seed: o.seed,
    batchSize: 50,
    concurrency: pacing.batchConcurrency,
    timeMs: pacing.compileTimeMs * 3,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}
