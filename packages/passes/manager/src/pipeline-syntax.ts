import { PipelineParseError } from './errors.js';

/**
 * Pipeline text:  list := item (',' item)* ;  item := NAME | 'fixpoint' '(' list ')'
 * NAME is a pass or a registered pipeline name. Whitespace is allowed between tokens; the
 * empty string is the empty pipeline.
 */
export type PipelineStep =
  | { kind: 'pass'; name: string; position: number }
  | { kind: 'fixpoint'; steps: PipelineStep[]; position: number };

const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
/** Deepest fixpoint(...) nesting accepted; the parser recurses per level, so text cannot overflow it. */
export const MAX_PIPELINE_NESTING = 64;
export const PASS_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function parsePipeline(text: string): PipelineStep[] {
  let pos = 0;
  let depth = 0;
  const fail = (reason: string): never => {
    throw new PipelineParseError(text, pos, reason);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const describe = () => (pos < text.length ? `'${text[pos]}'` : 'end of pipeline');

  const parseItem = (): PipelineStep => {
    skipSpace();
    const position = pos;
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return fail(`expected a pass name, found ${describe()}`);
    pos += m[0].length;
    skipSpace();
    if (text[pos] !== '(') return { kind: 'pass', name: m[0], position };
    if (m[0] !== 'fixpoint') {
      pos = position;
      return fail(`'${m[0]}' is not a group; only fixpoint(...) takes a list`);
    }
    if (++depth > MAX_PIPELINE_NESTING)
      return fail(`fixpoint(...) nested more than ${MAX_PIPELINE_NESTING} deep`);
    pos++; // '('
    const steps = parseList(')');
    depth--;
    if (text[pos] !== ')') return fail(`expected ',' or ')' to continue fixpoint(...), found ${describe()}`);
    pos++;
    return { kind: 'fixpoint', steps, position };
  };

  const parseList = (closer: string | undefined): PipelineStep[] => {
    skipSpace();
    if (closer === undefined && pos >= text.length) return [];
    if (closer !== undefined && text[pos] === closer) return fail('fixpoint(...) needs at least one pass');
    const steps = [parseItem()];
    skipSpace();
    while (text[pos] === ',') {
      pos++;
      steps.push(parseItem());
      skipSpace();
    }
    return steps;
  };

  const steps = parseList(undefined);
  if (pos < text.length) fail(`expected ',' or end of pipeline, found ${describe()}`);
  return steps;
}

/** Canonical text of a parsed pipeline (round-trips through parsePipeline). */
export function formatPipeline(steps: readonly PipelineStep[]): string {
  return steps.map((s) => (s.kind === 'pass' ? s.name : `fixpoint(${formatPipeline(s.steps)})`)).join(',');
}
