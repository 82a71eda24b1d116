import { type Graph, printGraph } from '@paradox/ir';
import type { PassResult } from './pass.js';

/**
 * Hooks the manager calls around every pass run (LLVM's PassInstrumentation, reduced to what
 * Paradox needs). Hooks observe; they must not mutate the graphs they are shown.
 */
export interface PassInstrumentation {
  beforePass?(pass: string, graph: Graph): void;
  afterPass?(pass: string, before: Graph, result: PassResult, elapsedMs: number): void;
}

export interface PrintIROptions {
  /** Print the graph each pass receives. */
  before?: boolean;
  /** Print the graph each pass returns. */
  after?: boolean;
  /** With `after`: only when the pass reported a change. */
  changedOnly?: boolean;
  /** Where the text goes (the CLI passes stderr). */
  write: (text: string) => void;
}

/** Banner-delimited IR dumps, one per pass run, in MLIR's `// -----// IR Dump ... //----- //` style. */
export function printIRInstrumentation(options: PrintIROptions): PassInstrumentation {
  const dump = (when: string, pass: string, graph: Graph) =>
    options.write(`// -----// IR ${when} ${pass} //----- //\n${printGraph(graph)}\n`);
  return {
    beforePass(pass, graph) {
      if (options.before) dump('before', pass, graph);
    },
    afterPass(pass, _before, result) {
      if (!options.after) return;
      if (options.changedOnly && !result.changed) return;
      dump('after', pass, result.graph);
    },
  };
}
