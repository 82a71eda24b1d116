import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface CliOptions {
  input: string;
  /** undefined: the reproducer's pipeline, or none (the IR is only read, verified and re-emitted). */
  pipeline?: string;
  emit: string;
  backend?: string;
  printBefore: boolean;
  printAfter: boolean;
  printChanged: boolean;
  timing: boolean;
  stats: boolean;
  verify: boolean;
  reproducerDir?: string;
  help: boolean;
}

export const USAGE = `usage: paradox-opt <in.json|in.pdx> [--pipeline P] [--emit ir|json|code|fusion-report] [--backend NAME]
                   [--print-before-all] [--print-after-all] [--print-changed]
                   [--timing] [--stats] [--verify] [--reproducer-dir DIR]

Reads graph IR (JSON or text, by extension or by sniffing; a reproducer file too), runs the
pipeline (e.g. "dce,cse,fold" or "fixpoint(cse,fold,dce)") and prints the result to stdout.
Diagnostics go to stderr. Exit codes: 0 ok, 1 input error, 2 pass failure, 3 internal error.`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { ...defaults(), help: true, input: '' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length ? `expected one input file, got ${positionals.length}` : 'missing input file',
    );
  }
  return {
    ...defaults(),
    input: positionals[0]!,
    emit: v.emit ?? 'ir',
    printBefore: !!v['print-before-all'],
    printAfter: !!v['print-after-all'],
    printChanged: !!v['print-changed'],
    timing: !!v.timing,
    stats: !!v.stats,
    verify: !!v.verify,
    ...(v.pipeline !== undefined ? { pipeline: v.pipeline } : {}),
    ...(v.backend !== undefined ? { backend: v.backend } : {}),
    ...(v['reproducer-dir'] !== undefined ? { reproducerDir: v['reproducer-dir'] } : {}),
  };
}

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      pipeline: { type: 'string', short: 'p' },
      emit: { type: 'string' },
      backend: { type: 'string' },
      'print-before-all': { type: 'boolean' },
      'print-after-all': { type: 'boolean' },
      'print-changed': { type: 'boolean' },
      timing: { type: 'boolean' },
      stats: { type: 'boolean' },
      verify: { type: 'boolean' },
      'reproducer-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

const defaults = () => ({
  emit: 'ir',
  printBefore: false,
  printAfter: false,
  printChanged: false,
  timing: false,
  stats: false,
  verify: false,
  help: false,
});
