import type { DType, Graph } from '@paradox/ir';

/**
 * The pass contract. A pass is a pure function of its input graph and context: it must not
 * mutate the graph it is given (return a new one) and must keep no state between runs, so the
 * manager can re-run it, retry it, and replay it from a reproducer.
 */
export interface Pass {
  /** Pipeline name: lower-case letters, digits, '-' and '_' (e.g. 'dce'). */
  readonly name: string;
  /** One line for `--help`-style listings. */
  readonly description?: string;
  run(graph: Graph, ctx: PassContext): PassResult;
}

export interface PassResult {
  graph: Graph;
  /** false promises that `graph` is equivalent to the input; fixed-point groups stop on it. */
  changed: boolean;
  /** Counters such as `{ nodesRemoved: 3 }`; the manager sums them per pass. */
  stats?: PassStats;
}

export type PassStats = Record<string, number>;

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/**
 * What a target can do, as passes see it. Structurally a subset of @paradox/backend's
 * `Capabilities` (a pass may not import the backend package), so a backend's capabilities
 * can be passed as they are.
 */
export interface TargetCapabilities {
  readonly dtypes: readonly DType[];
  readonly ops: ReadonlySet<string>;
  readonly maxBuffersPerKernel: number;
  readonly layout?: { readonly contractionRhs?: 'kn' | 'nk' };
}

/**
 * Results a pass hands to the caller (not to other passes' graphs), e.g. the fusion report.
 * Packages add their own typed entries by declaration merging:
 *
 *   declare module '@paradox/pass-manager' { interface PassOutputs { fusionReport: FusionReport } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging in pass packages
export interface PassOutputs {}

export interface PassContext {
  /** Options for this pass (PassManagerOptions.passOptions[pass.name]), `{}` when none. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  /** The target backend's capabilities, when the pipeline runs for one. */
  readonly capabilities?: TargetCapabilities;
  /** Shared by every pass of one pipeline run; returned as PipelineResult.outputs. */
  readonly outputs: Partial<PassOutputs>;
}
