import { PassRegistrationError, PipelineCycleError, UnknownPassError } from './errors.js';
import type { Pass } from './pass.js';
import { PASS_NAME_PATTERN, type PipelineStep, parsePipeline } from './pipeline-syntax.js';

/**
 * The process-wide pass and pipeline registries. Pass packages register themselves on import
 * (`import '@paradox/pass-dce'` registers 'dce'), so a pipeline string can name any pass whose
 * package was loaded. Passes themselves stay pure; only this name table is global.
 */
const passes = new Map<string, Pass>();
const pipelines = new Map<string, string>();

/** Names with a meaning in pipeline text; neither a pass nor a pipeline may take them. */
const RESERVED = new Set(['fixpoint']);

function checkName(kind: string, name: string): void {
  if (!PASS_NAME_PATTERN.test(name)) {
    throw new PassRegistrationError(`${kind} name '${name}' must match ${PASS_NAME_PATTERN.source}`);
  }
  if (RESERVED.has(name)) throw new PassRegistrationError(`'${name}' is reserved by the pipeline syntax`);
}

export interface RegisterOptions {
  /** Replace an existing registration of the same name (tests, user overrides). */
  replace?: boolean;
}

/** Registers a pass under `pass.name`. Registering the same object twice is a no-op. */
export function registerPass(pass: Pass, options: RegisterOptions = {}): void {
  checkName('pass', pass.name);
  const existing = passes.get(pass.name);
  if (existing === pass) return;
  if (existing && !options.replace) {
    throw new PassRegistrationError(`a different pass is already registered as '${pass.name}'`);
  }
  if (pipelines.has(pass.name)) {
    throw new PassRegistrationError(`'${pass.name}' is already the name of a pipeline`);
  }
  passes.set(pass.name, pass);
}

/** Removes a pass (tests that register throwaway passes clean up with this). */
export function unregisterPass(name: string): boolean {
  return passes.delete(name);
}

/**
 * Names a pipeline so other pipelines (and `PassManager`) can refer to it, e.g.
 * `registerPipeline('default', 'fixpoint(dce,cse,fold),layout,fusion')`. The text is parsed now
 * (a malformed definition fails here, not at first use); names in it are resolved when run.
 */
export function registerPipeline(name: string, pipeline: string, options: RegisterOptions = {}): void {
  checkName('pipeline', name);
  parsePipeline(pipeline);
  if (passes.has(name)) throw new PassRegistrationError(`'${name}' is already the name of a pass`);
  const existing = pipelines.get(name);
  if (existing !== undefined && existing !== pipeline && !options.replace) {
    throw new PassRegistrationError(`pipeline '${name}' is already registered as '${existing}'`);
  }
  pipelines.set(name, pipeline);
}

export function unregisterPipeline(name: string): boolean {
  return pipelines.delete(name);
}

export function getPass(name: string): Pass {
  const pass = passes.get(name);
  if (!pass) throw new UnknownPassError(name, listPasses(), listPipelines());
  return pass;
}

export const listPasses = (): string[] => [...passes.keys()].sort();
export const listPipelines = (): string[] => [...pipelines.keys()].sort();
export const getPipeline = (name: string): string | undefined => pipelines.get(name);

/** A pipeline with every name resolved: pipeline names expanded, pass names bound to passes. */
export type ResolvedStep =
  | { kind: 'pass'; pass: Pass }
  | { kind: 'fixpoint'; steps: ResolvedStep[]; text: string };

/** Binds names to registered passes, expanding named pipelines (cycles are an error). */
export function resolvePipeline(
  steps: readonly PipelineStep[],
  expanding: readonly string[] = [],
): ResolvedStep[] {
  return steps.flatMap((step): ResolvedStep[] => {
    if (step.kind === 'fixpoint') {
      const inner = resolvePipeline(step.steps, expanding);
      return [{ kind: 'fixpoint', steps: inner, text: `fixpoint(${formatResolved(inner)})` }];
    }
    const pass = passes.get(step.name);
    if (pass) return [{ kind: 'pass', pass }];
    const definition = pipelines.get(step.name);
    if (definition === undefined) throw new UnknownPassError(step.name, listPasses(), listPipelines());
    if (expanding.includes(step.name)) throw new PipelineCycleError([...expanding, step.name]);
    return resolvePipeline(parsePipeline(definition), [...expanding, step.name]);
  });
}

export function formatResolved(steps: readonly ResolvedStep[]): string {
  return steps.map((s) => (s.kind === 'pass' ? s.pass.name : s.text)).join(',');
}

/**
 * The pipeline jit compiles with, named `default` (DESIGN section 3). Pass names resolve when it
 * runs, so it works wherever the pass packages are imported (the jit, paradox-opt).
 */
export const DEFAULT_PIPELINE = 'fixpoint(dce,cse,fold),layout,fusion';
registerPipeline('default', DEFAULT_PIPELINE);
