import { InsertionPointError } from './errors.js';
import { PASS_NAME_PATTERN, parsePipeline } from './pipeline-syntax.js';
import { formatResolved, type ResolvedStep, resolvePipeline } from './registry.js';

/**
 * Extension points of a pipeline: every pass in it names two points, `before:NAME` and
 * `after:NAME`, so a third party adds a pass to the default pipeline without restating it:
 *
 *   new PassManager('default', { insert: [{ at: 'after:cse', pipeline: 'my-pass' }] })
 *   jit(f, { insert: [{ at: 'before:fusion', pipeline: 'my-pass' }] })
 *   paradox-opt in.pdx --pipeline default --insert before:fusion=my-pass
 *
 * Inserted passes run wherever the named pass runs, inside a fixpoint(...) group too (so a
 * cleanup inserted after `cse` takes part in the default pipeline's fixed point).
 */
export type InsertionPoint = `before:${string}` | `after:${string}`;

export interface PassInsertion {
  at: InsertionPoint;
  /** Pipeline text to insert: one pass, several (`'a,b'`), a fixpoint group or a named pipeline. */
  pipeline: string;
}

const POINT = /^(before|after):([A-Za-z_][A-Za-z0-9_-]*)$/;

/** Parses the command-line form `before:fusion=my-pass` (or `after:cse=a,b`). */
export function parseInsertion(text: string): PassInsertion {
  const eq = text.indexOf('=');
  const at = eq < 0 ? text : text.slice(0, eq);
  const pipeline = eq < 0 ? '' : text.slice(eq + 1);
  if (!POINT.test(at) || pipeline.trim() === '') {
    throw new InsertionPointError(
      `'${text}' is not an insertion: expected before:PASS=PIPELINE or after:PASS=PIPELINE (e.g. after:cse=my-pass)`,
    );
  }
  parsePipeline(pipeline); // malformed text fails here, with its position
  return { at: at as InsertionPoint, pipeline };
}

/** The insertion points of resolved steps, in pipeline order (`before:dce`, `after:dce`, ...). */
export function insertionPoints(steps: readonly ResolvedStep[]): InsertionPoint[] {
  const names: string[] = [];
  const walk = (list: readonly ResolvedStep[]): void => {
    for (const s of list) {
      if (s.kind === 'fixpoint') walk(s.steps);
      else if (!names.includes(s.pass.name)) names.push(s.pass.name);
    }
  };
  walk(steps);
  return names.flatMap((n): InsertionPoint[] => [`before:${n}`, `after:${n}`]);
}

/**
 * Resolved steps with each insertion's passes placed at its point. Every point must name a pass
 * of `steps` (else InsertionPointError listing the points there are); inserted passes do not
 * themselves offer points to other insertions of the same call.
 */
export function applyInsertions(
  steps: readonly ResolvedStep[],
  insertions: readonly PassInsertion[],
): ResolvedStep[] {
  if (insertions.length === 0) return [...steps];
  const available = insertionPoints(steps);
  const resolved = insertions.map((ins) => {
    const m = POINT.exec(ins.at);
    if (!m || !PASS_NAME_PATTERN.test(m[2]!))
      throw new InsertionPointError(`'${ins.at}' is not an insertion point`);
    if (!available.includes(ins.at)) {
      throw new InsertionPointError(
        `no pass '${m[2]}' in the pipeline to insert '${ins.pipeline}' ${m[1]}; insertion points: ${available.join(', ') || '(none)'}`,
      );
    }
    return {
      where: m[1] as 'before' | 'after',
      pass: m[2]!,
      steps: resolvePipeline(parsePipeline(ins.pipeline)),
    };
  });
  const place = (list: readonly ResolvedStep[]): ResolvedStep[] =>
    list.flatMap((s): ResolvedStep[] => {
      if (s.kind === 'fixpoint') {
        const inner = place(s.steps);
        return [{ kind: 'fixpoint', steps: inner, text: `fixpoint(${formatResolved(inner)})` }];
      }
      const at = (where: 'before' | 'after') =>
        resolved.filter((r) => r.where === where && r.pass === s.pass.name).flatMap((r) => r.steps);
      return [...at('before'), s, ...at('after')];
    });
  return place(steps);
}
