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
  /** --load SPEC (repeatable): packages or module files that register passes/backends. */
  load: string[];
  /** --insert POINT=PIPELINE (repeatable), e.g. before:fusion=my-pass. */
  insert: string[];
  help: boolean;
  version: boolean;
}

export const USAGE = `usage: paradox-opt --version | --help
       paradox-opt <in.json|in.pdx|model.onnx> [--pipeline P] [--emit ir|json|code|fusion-report] [--backend NAME]
                   [--load PKG|FILE]... [--insert before:PASS=P|after:PASS=P]...
                   [--print-before-all] [--print-after-all] [--print-changed]
                   [--timing] [--stats] [--verify] [--reproducer-dir DIR]

Reads graph IR (JSON or text, by extension or by sniffing; a reproducer file too), runs the
pipeline (e.g. "dce,cse,fold" or "fixpoint(cse,fold,dce)") and prints the result to stdout.
--backend NAME also gives the passes that backend's capabilities (fusion's buffer limit, layout).
--load imports a package or module that registers passes/backends; --insert adds a pipeline at
a named point of the one that runs (e.g. --pipeline default --insert after:cse=my-pass).
Diagnostics go to stderr. Exit codes: 0 ok, 1 input error, 2 pass failure, 3 internal error.`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values: v, positionals } = parsed;
  const lists = { load: v.load ?? [], insert: v.insert ?? [] };
  if (v.help) return { ...defaults(), ...lists, help: true, input: '' };
  if (v.version) return { ...defaults(), ...lists, version: true, input: '' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length ? `expected one input file, got ${positionals.length}` : 'missing input file',
    );
  }
  return {
    ...defaults(),
    ...lists,
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
      load: { type: 'string', multiple: true },
      insert: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });

const defaults = () => ({
  load: [] as string[],
  insert: [] as string[],
  emit: 'ir',
  printBefore: false,
  printAfter: false,
  printChanged: false,
  timing: false,
  stats: false,
  verify: false,
  help: false,
  version: false,
});
