import { IrError } from '@paradox/ir';
import {
  FixpointNotConvergedError,
  formatStatsReport,
  formatTimingReport,
  getPass,
  getPipeline,
  listPasses,
  listPipelines,
  PassFailedError,
  PassManager,
  PassManagerError,
  parseInsertion,
} from '@paradox/pass-manager';
import { parseCliArgs, USAGE } from './args.js';
import { getEmitter, listEmitters } from './emitters.js';
import { EmitError, InputError, UsageError } from './errors.js';
import { loadBackend } from './load-backend.js';
import { loadExtension } from './load-extensions.js';
import { readInput } from './read-input.js';
import { cliVersion } from './version.js';
import './passes.js';
import './emit-code.js';
import './emit-fusion-report.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_INPUT_ERROR = 1;
export const EXIT_PASS_FAILURE = 2;
export const EXIT_INTERNAL_ERROR = 3;

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * paradox-opt as a function: parses `argv` (without node and script), runs, and returns the
 * exit code. Tests call it in-process with a capturing `io`.
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const line = (write: (t: string) => void) => (text: string) =>
    write(text.endsWith('\n') ? text : `${text}\n`);
  const out = line(io.stdout);
  const err = line(io.stderr);
  try {
    const options = parseCliArgs(argv);
    if (options.version) {
      out(cliVersion());
      return EXIT_OK;
    }
    for (const spec of options.load) await loadExtension(spec);
    if (options.help) {
      const passes = listPasses().map((name) =>
        `  ${name.padEnd(10)} ${getPass(name).description ?? ''}`.trimEnd(),
      );
      const pipelines = listPipelines().map((name) => `  ${name.padEnd(10)} ${getPipeline(name)}`);
      const emitters = listEmitters().map((name) => `  ${name.padEnd(14)} ${getEmitter(name).description}`);
      out(
        [
          USAGE,
          '',
          'passes:',
          ...passes,
          'pipelines:',
          ...(pipelines.length ? pipelines : ['  (none)']),
          'emitters:',
          ...emitters,
        ].join('\n'),
      );
      return EXIT_OK;
    }
    const emitter = getEmitter(options.emit);
    const { graph, reproducerPipeline } = await readInput(options.input);
    // The passes see the chosen backend's capabilities, as jit's do (fusion's buffer limit).
    const backend = options.backend !== undefined ? await loadBackend(options.backend) : undefined;
    const manager = new PassManager(options.pipeline ?? reproducerPipeline ?? '', {
      ...(backend ? { capabilities: backend.capabilities } : {}),
      insert: options.insert.map(parseInsertion),
      verify: options.verify,
      printBefore: options.printBefore,
      printAfter: options.printAfter,
      printChanged: options.printChanged,
      printSink: err,
      logger: { debug: () => {}, info: err, warn: (m) => err(`warning: ${m}`) },
      ...(options.reproducerDir !== undefined ? { reproducerDir: options.reproducerDir } : {}),
    });
    const result = manager.run(graph);
    if (options.timing) err(formatTimingReport(result.timings));
    if (options.stats) err(formatStatsReport(result.stats));
    const emitOptions = options.backend !== undefined ? { backend: options.backend } : {};
    out(await emitter.emit({ graph: result.graph, outputs: result.outputs }, emitOptions));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof PassFailedError || error instanceof FixpointNotConvergedError) {
      err(`paradox-opt: ${error.name}: ${error.message}`);
      return EXIT_PASS_FAILURE;
    }
    if (error instanceof UsageError) {
      err(`paradox-opt: ${error.message}\n${USAGE}`);
      return EXIT_INPUT_ERROR;
    }
    if (
      error instanceof InputError ||
      error instanceof EmitError ||
      error instanceof IrError ||
      error instanceof PassManagerError
    ) {
      err(`paradox-opt: ${error.name}: ${error.message}`);
      return EXIT_INPUT_ERROR;
    }
    // Anything untyped is a bug in paradox-opt or a pass package, not in the user's input.
    err(
      `paradox-opt: internal error (please report): ${error instanceof Error ? error.stack : String(error)}`,
    );
    return EXIT_INTERNAL_ERROR;
  }
}
