import { BackendError, getBackend } from '@paradox/backend';
import { IrError } from '@paradox/ir';
import { TracerError } from '@paradox/tracer';
import { receiverState } from './call-tree.js';
import { CompiledGraph } from './compiled-graph.js';
import { JitError, JitExportError } from './errors.js';
import { parseExport } from './export-format.js';
import { checkLoadLimits, type LoadLimits } from './load-limits.js';
import { checkOptionNames } from './option-names.js';
import { programLayout } from './program-layout.js';

export interface LoadOptions extends LoadLimits {
  /** Run on this backend instead of the one the program was exported from. */
  backend?: string;
}

const LOAD_OPTION_NAMES = ['backend', 'maxBufferBytes', 'maxKernelIterations'] as const;

/**
 * Loads a program exported by `compiled.export()` / `f.export()` and compiles it for its backend; no
 * tracing. `run()` takes the same arguments as the original call (for a method: the receiver, or a plain
 * object with its fields, first). Every failure is typed (JitError, or an IR / backend error); a program
 * over `maxBufferBytes` or `maxKernelIterations` is refused with JitLoadLimitError.
 */
export function loadCompiled(json: string | unknown, options: LoadOptions = {}): CompiledGraph {
  checkOptionNames(options, LOAD_OPTION_NAMES, 'loadCompiled');
  try {
    const doc = parseExport(json);
    checkLoadLimits(doc.program, options);
    const backend = getBackend(options.backend ?? doc.backend);
    const layout = programLayout(doc.program, doc);
    const callTree = doc.signature.receiver
      ? (args: readonly unknown[]) => [receiverState(Object(args[0]), new Set()), ...args.slice(1)]
      : undefined;
    return new CompiledGraph(layout, backend, doc.program, backend.compile(doc.program), undefined, callTree);
  } catch (e) {
    if (
      e instanceof JitError ||
      e instanceof IrError ||
      e instanceof BackendError ||
      e instanceof TracerError
    )
      throw e;
    throw new JitExportError(
      `loadCompiled: the document could not be loaded: ${(e as Error)?.message ?? String(e)}`,
      {
        cause: e,
      },
    );
  }
}
