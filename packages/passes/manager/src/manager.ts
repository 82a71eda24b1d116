import { type Graph, printGraph, verifyGraph } from '@paradox/ir';
import { FixpointNotConvergedError, PassFailedError } from './errors.js';
import { applyInsertions, type PassInsertion } from './insertion.js';
import { type PassInstrumentation, printIRInstrumentation } from './instrumentation.js';
import type { Logger, Pass, PassContext, PassOutputs, PassStats, TargetCapabilities } from './pass.js';
import { silentLogger } from './pass.js';
import { parsePipeline } from './pipeline-syntax.js';
import { formatResolved, type ResolvedStep, resolvePipeline } from './registry.js';
import { makeReproducer, writeReproducer } from './reproducer.js';

export const DEFAULT_MAX_FIXPOINT_ITERATIONS = 16;

export interface PassManagerOptions {
  /**
   * Debug mode: verify the input, then the graph after every pass (verifyGraph), and check that
   * no pass mutated the graph it was given. A pass's violation is a PassFailedError naming it; an
   * invalid input is the verifier's VerifyError.
   */
  verify?: boolean;
  /**
   * Skip a pass run that cannot change anything: the pass already ran on this very graph object and
   * reported no change (passes are deterministic and never mutate their input), which is what a
   * fixpoint group's confirming round mostly consists of. Skipped runs are not reported to
   * instrumentations or timings. jit turns it on; off by default so every scheduled run is observed.
   */
  skipRepeatedRuns?: boolean;
  /** Iteration cap of every fixpoint(...) group. */
  maxFixpointIterations?: number;
  /** Per-pass options, by pass name; each pass sees its entry as `ctx.options`. */
  passOptions?: Record<string, Record<string, unknown>>;
  logger?: Logger;
  capabilities?: TargetCapabilities;
  instrumentations?: PassInstrumentation[];
  /** Shorthands for printIRInstrumentation: dump IR before / after every pass / after changing passes. */
  printBefore?: boolean;
  printAfter?: boolean;
  printChanged?: boolean;
  /** Where IR dumps go; defaults to logger.info. */
  printSink?: (text: string) => void;
  /** On failure, write a reproducer (IR JSON + pipeline) into this directory. */
  reproducerDir?: string;
  /** Passes added at named points of the pipeline (`after:cse`, `before:fusion`); see insertion.ts. */
  insert?: readonly PassInsertion[];
}

export interface PassTiming {
  pass: string;
  /** Number of times the pass ran (more than one inside fixpoint groups). */
  runs: number;
  ms: number;
}

export interface PipelineResult {
  graph: Graph;
  changed: boolean;
  /** Each pass's counters summed over its runs, by pass name. */
  stats: Record<string, PassStats>;
  /** In first-run order. */
  timings: PassTiming[];
  outputs: Partial<PassOutputs>;
}

/** Mutable bookkeeping of one `run`; the manager itself holds nothing between runs. */
interface RunState {
  history: string[];
  stats: Record<string, PassStats>;
  timings: Map<string, PassTiming>;
  outputs: Partial<PassOutputs>;
  /** Passes that reported a change since the innermost fixpoint iteration began. */
  changedNames: Set<string>;
  /** With skipRepeatedRuns: the graph each pass last ran on and left unchanged. */
  quietOn: Map<Pass, Graph>;
}

/**
 * Runs a pipeline such as `"dce,cse,fold"` or `"fixpoint(cse,fold,dce),layout"`. Names are
 * resolved when the manager is built, so an unknown pass fails before any pass runs.
 */
export class PassManager {
  /** The pipeline as given. */
  readonly pipeline: string;
  /** The pipeline with named pipelines (e.g. `default`) expanded and insertions placed. */
  readonly expanded: string;
  private readonly steps: ResolvedStep[];
  private readonly instrumentations: PassInstrumentation[];

  constructor(
    pipeline: string,
    private readonly options: PassManagerOptions = {},
  ) {
    this.pipeline = pipeline;
    this.steps = applyInsertions(resolvePipeline(parsePipeline(pipeline)), options.insert ?? []);
    this.expanded = formatResolved(this.steps);
    const logger = options.logger ?? silentLogger;
    const printing = options.printBefore || options.printAfter || options.printChanged;
    this.instrumentations = [
      ...(printing
        ? [
            printIRInstrumentation({
              before: !!options.printBefore,
              after: !!(options.printAfter || options.printChanged),
              changedOnly: !options.printAfter,
              write: options.printSink ?? ((text) => logger.info(text)),
            }),
          ]
        : []),
      ...(options.instrumentations ?? []),
    ];
  }

  run(graph: Graph): PipelineResult {
    // A bad input is the caller's error (VerifyError), not the first pass's.
    if (this.options.verify) verifyGraph(graph);
    const state: RunState = {
      history: [],
      stats: {},
      timings: new Map(),
      outputs: {},
      changedNames: new Set(),
      quietOn: new Map(),
    };
    const { graph: out, changed } = this.runSteps(this.steps, graph, state);
    return {
      graph: out,
      changed,
      stats: state.stats,
      timings: [...state.timings.values()],
      outputs: state.outputs,
    };
  }

  private runSteps(
    steps: readonly ResolvedStep[],
    graph: Graph,
    state: RunState,
  ): { graph: Graph; changed: boolean } {
    let changed = false;
    for (const step of steps) {
      const r =
        step.kind === 'pass' ? this.runPass(step.pass, graph, state) : this.runFixpoint(step, graph, state);
      graph = r.graph;
      changed ||= r.changed;
    }
    return { graph, changed };
  }

  private runFixpoint(
    group: Extract<ResolvedStep, { kind: 'fixpoint' }>,
    entry: Graph,
    state: RunState,
  ): { graph: Graph; changed: boolean } {
    const max = this.options.maxFixpointIterations ?? DEFAULT_MAX_FIXPOINT_ITERATIONS;
    const outer = state.changedNames;
    let graph = entry;
    let changed = false;
    try {
      for (let i = 0; i < max; i++) {
        state.changedNames = new Set();
        const r = this.runSteps(group.steps, graph, state);
        graph = r.graph;
        if (!r.changed) return { graph, changed };
        changed = true;
        for (const name of state.changedNames) outer.add(name);
      }
      const stillChanging = [...state.changedNames];
      const site = this.failureSite(state, group.text, entry, 'did not converge');
      throw new FixpointNotConvergedError(group.text, max, stillChanging, site);
    } finally {
      state.changedNames = outer;
    }
  }

  private runPass(pass: Pass, graph: Graph, state: RunState): { graph: Graph; changed: boolean } {
    const skippable = this.options.skipRepeatedRuns === true;
    if (skippable && state.quietOn.get(pass) === graph) return { graph, changed: false };
    const ctx: PassContext = {
      options: this.options.passOptions?.[pass.name] ?? {},
      logger: this.options.logger ?? silentLogger,
      ...(this.options.capabilities ? { capabilities: this.options.capabilities } : {}),
      outputs: state.outputs,
    };
    for (const inst of this.instrumentations) inst.beforePass?.(pass.name, graph);
    const fingerprint = this.options.verify ? printGraph(graph) : undefined;

    const start = performance.now();
    let result: ReturnType<Pass['run']>;
    try {
      result = pass.run(graph, ctx);
    } catch (error) {
      throw new PassFailedError(pass.name, 'run', this.failureSite(state, pass.name, graph, error), error);
    }
    const elapsed = performance.now() - start;

    if (this.options.verify) {
      try {
        if (printGraph(graph) !== fingerprint) throw new Error('the pass mutated the graph it was given');
        verifyGraph(result.graph);
      } catch (error) {
        throw new PassFailedError(
          pass.name,
          'verify',
          this.failureSite(state, pass.name, graph, error),
          error,
        );
      }
    }

    this.record(pass.name, result.stats, elapsed, state);
    if (result.changed) state.changedNames.add(pass.name);
    else if (skippable) state.quietOn.set(pass, graph);
    for (const inst of this.instrumentations) inst.afterPass?.(pass.name, graph, result, elapsed);
    return { graph: result.graph, changed: result.changed };
  }

  private record(name: string, stats: PassStats | undefined, ms: number, state: RunState): void {
    state.history.push(name);
    const t = state.timings.get(name);
    if (t) {
      t.runs++;
      t.ms += ms;
    } else state.timings.set(name, { pass: name, runs: 1, ms });
    if (!stats) return;
    state.stats[name] ??= {};
    const acc = state.stats[name];
    for (const [k, v] of Object.entries(stats)) acc[k] = (acc[k] ?? 0) + v;
  }

  /** Describes a failure and, when asked, writes the reproducer for it. */
  private failureSite(state: RunState, reproPipeline: string, graph: Graph, error: unknown) {
    // With insertions, the expanded text is what replays the run.
    const pipeline = this.options.insert?.length ? this.expanded : this.pipeline;
    const site = { pipeline, passesBefore: [...state.history] };
    const dir = this.options.reproducerDir;
    if (dir === undefined) return site;
    try {
      const repro = makeReproducer(graph, reproPipeline, pipeline, state.history, error);
      const path = writeReproducer(dir, repro);
      return path === undefined ? site : { ...site, reproducerPath: path };
    } catch (writeError) {
      // A failure to write the reproducer must not hide the failure being reported.
      (this.options.logger ?? silentLogger).warn(
        `could not write reproducer to ${dir}: ${String(writeError)}`,
      );
      return site;
    }
  }
}

/** `new PassManager(pipeline, options).run(graph)`. */
export function runPipeline(graph: Graph, pipeline: string, options?: PassManagerOptions): PipelineResult {
  return new PassManager(pipeline, options).run(graph);
}
