import { type Graph, serializeGraph } from '@paradox/ir';

/**
 * A failure reproducer: the graph a failing pass (or non-converging group) was given, and the
 * pipeline that reproduces the failure on it. `paradox-opt <file>` reads this file directly and
 * runs `pipeline` unless `--pipeline` overrides it.
 */
export interface Reproducer {
  paradoxReproducer: 1;
  /** Re-runs the failure on `graph`: the failing pass, or the fixpoint group that did not converge. */
  pipeline: string;
  /** The pipeline the caller ran, for context. */
  fullPipeline: string;
  passesBefore: string[];
  error: string;
  /** The graph, as IR JSON (serializeGraph's document). */
  graph: unknown;
}

export function isReproducer(doc: unknown): doc is Reproducer {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    (doc as { paradoxReproducer?: unknown }).paradoxReproducer === 1
  );
}

export function makeReproducer(
  graph: Graph,
  pipeline: string,
  fullPipeline: string,
  passesBefore: readonly string[],
  error: unknown,
): Reproducer {
  return {
    paradoxReproducer: 1,
    pipeline,
    fullPipeline,
    passesBefore: [...passesBefore],
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    graph: JSON.parse(serializeGraph(graph)),
  };
}

/**
 * Writes the reproducer under `dir` and returns its path. Reaches node:fs through
 * `process.getBuiltinModule`, so this package has no static Node import and still bundles for
 * browsers (where there is no directory to write to, and this returns undefined).
 */
export function writeReproducer(dir: string, reproducer: Reproducer): string | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; pid?: number } })
    .process;
  const fs = proc?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  const path = proc?.getBuiltinModule?.('node:path') as typeof import('node:path') | undefined;
  if (!fs || !path) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const stem = reproducer.pipeline.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(dir, `paradox-repro-${stem}-${stamp}-${proc?.pid ?? 0}`);
  let file = `${base}.json`;
  for (let n = 1; fs.existsSync(file); n++) file = `${base}-${n}.json`;
  fs.writeFileSync(file, `${JSON.stringify(reproducer, null, 2)}\n`);
  return file;
}
