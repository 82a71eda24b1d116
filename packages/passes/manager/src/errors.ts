/** Every failure the pass manager reports is one of these, so callers branch on `instanceof`. */
export class PassManagerError extends Error {
  override name = 'PassManagerError';
}

/** The pipeline text is malformed. `position` is the 0-based character offset of the fault. */
export class PipelineParseError extends PassManagerError {
  override name = 'PipelineParseError';
  constructor(
    readonly pipeline: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(
      `pipeline '${pipeline}', at position ${position}: ${reason}\n  ${pipeline}\n  ${' '.repeat(position)}^`,
    );
  }
}

/** A pipeline names a pass (or pipeline) that nobody registered. */
export class UnknownPassError extends PassManagerError {
  override name = 'UnknownPassError';
  constructor(
    readonly passName: string,
    readonly registeredPasses: readonly string[],
    readonly registeredPipelines: readonly string[],
  ) {
    const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '(none)');
    super(
      `unknown pass '${passName}'; registered passes: ${list(registeredPasses)}; ` +
        `registered pipelines: ${list(registeredPipelines)}`,
    );
  }
}

/** registerPass / registerPipeline was given a bad or taken name. */
export class PassRegistrationError extends PassManagerError {
  override name = 'PassRegistrationError';
}

/** An insertion names no point of the pipeline (`after:nosuchpass`) or is malformed. */
export class InsertionPointError extends PassManagerError {
  override name = 'InsertionPointError';
}

/** Named pipelines refer to each other in a cycle (a -> b -> a). */
export class PipelineCycleError extends PassManagerError {
  override name = 'PipelineCycleError';
  constructor(readonly chain: readonly string[]) {
    super(`pipeline definitions form a cycle: ${chain.join(' -> ')}`);
  }
}

/** Where a failure happened in a pipeline, and what was written to reproduce it. */
interface FailureSite {
  /** The full pipeline as given by the caller. */
  pipeline: string;
  /** Passes that completed before the failure, in run order (fixed-point repeats included). */
  passesBefore: readonly string[];
  /** Path of the reproducer file, when the caller asked for one (reproducerDir). */
  reproducerPath?: string;
}

/** A failure while running a pipeline: says where it happened and where its reproducer was written. */
export abstract class PipelineFailureError extends PassManagerError {
  readonly pipeline: string;
  readonly passesBefore: readonly string[];
  readonly reproducerPath?: string;
  protected constructor(message: string, site: FailureSite, options?: ErrorOptions) {
    super(message + (site.reproducerPath ? `\n  reproducer: ${site.reproducerPath}` : ''), options);
    this.pipeline = site.pipeline;
    this.passesBefore = site.passesBefore;
    if (site.reproducerPath !== undefined) this.reproducerPath = site.reproducerPath;
  }
}

/** A pass threw, or (in verify mode) returned a graph the verifier rejects. `cause` is the original error. */
export class PassFailedError extends PipelineFailureError {
  override name = 'PassFailedError';
  constructor(
    readonly passName: string,
    readonly phase: 'run' | 'verify',
    site: FailureSite,
    cause: unknown,
  ) {
    const what = phase === 'run' ? 'failed' : 'produced a graph the verifier rejects';
    const before = site.passesBefore.length ? site.passesBefore.join(', ') : '(none)';
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `pass '${passName}' ${what}\n  pipeline: ${site.pipeline}\n  passes before it: ${before}\n  ${why}`,
      site,
      { cause },
    );
  }
}

/** A fixpoint(...) group still reported changes after its iteration cap. */
export class FixpointNotConvergedError extends PipelineFailureError {
  override name = 'FixpointNotConvergedError';
  constructor(
    readonly group: string,
    readonly maxIterations: number,
    /** Passes that still reported a change in the last iteration (the likely oscillators). */
    readonly stillChanging: readonly string[],
    site: FailureSite,
  ) {
    super(
      `${group} did not converge after ${maxIterations} iterations; still changing: ` +
        `${stillChanging.join(', ')}\n  pipeline: ${site.pipeline}`,
      site,
    );
  }
}
