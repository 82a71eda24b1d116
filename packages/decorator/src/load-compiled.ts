import { getBackend } from '@paradox/backend';
import { receiverState } from './call-tree.js';
import { CompiledGraph } from './compiled-graph.js';
import { parseExport } from './export-format.js';
import { programLayout } from './program-layout.js';

export interface LoadOptions {
  /** Run on this backend instead of the one the program was exported from. */
  backend?: string;
}

/**
 * Loads a program exported by `compiled.export()` / `f.export()` and compiles it for its backend; no
 * tracing. `run()` takes the same arguments as the original call (for a method: the receiver, or a plain
 * object with its fields, first).
 */
export function loadCompiled(json: string | unknown, options: LoadOptions = {}): CompiledGraph {
  const doc = parseExport(json);
  const backend = getBackend(options.backend ?? doc.backend);
  const layout = programLayout(doc.program, doc);
  const callTree = doc.signature.receiver
    ? (args: readonly unknown[]) => [receiverState(Object(args[0]), new Set()), ...args.slice(1)]
    : undefined;
  return new CompiledGraph(layout, backend, doc.program, backend.compile(doc.program), undefined, callTree);
}
