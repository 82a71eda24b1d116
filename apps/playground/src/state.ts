/** The page state that a link reproduces: code, input shapes, pipeline and backend, kept in the URL hash. */
import { DEFAULT_EXAMPLE } from './examples.js';

export interface PassStep {
  readonly name: string;
  readonly enabled: boolean;
}

export interface PageState {
  readonly code: string;
  readonly shapes: string;
  readonly pipeline: readonly PassStep[];
  readonly backend: string;
}

/** jit's default pipeline, one toggleable step per pass (the cleanup passes run once each, in order). */
export const DEFAULT_STEPS: readonly PassStep[] = ['dce', 'cse', 'fold', 'layout', 'fusion'].map((name) => ({
  name,
  enabled: true,
}));

export const DEFAULT_STATE: PageState = {
  code: DEFAULT_EXAMPLE.code,
  shapes: DEFAULT_EXAMPLE.shapes,
  pipeline: DEFAULT_STEPS,
  backend: 'js',
};

/** The pipeline text PassManager reads: the enabled steps, in order. */
export function pipelineString(steps: readonly PassStep[]): string {
  return steps
    .filter((s) => s.enabled)
    .map((s) => s.name)
    .join(',');
}

export function encodeState(state: PageState): string {
  return `#${encodeURIComponent(JSON.stringify(state))}`;
}

/** Reads a hash back; anything that is not a well-formed state gives undefined (the page keeps its defaults). */
export function decodeState(hash: string): PageState | undefined {
  if (hash.length <= 1) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(decodeURIComponent(hash.slice(1)));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.code !== 'string' || typeof r.shapes !== 'string' || typeof r.backend !== 'string')
    return undefined;
  if (!Array.isArray(r.pipeline)) return undefined;
  const known = new Set(DEFAULT_STEPS.map((s) => s.name));
  const pipeline: PassStep[] = [];
  for (const s of r.pipeline as unknown[]) {
    const step = s as Record<string, unknown> | null;
    if (typeof step?.name !== 'string' || !known.has(step.name) || typeof step.enabled !== 'boolean')
      return undefined;
    pipeline.push({ name: step.name, enabled: step.enabled });
  }
  return { code: r.code, shapes: r.shapes, pipeline, backend: r.backend };
}
