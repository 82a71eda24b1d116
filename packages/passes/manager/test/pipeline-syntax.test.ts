import { describe, expect, it } from 'vitest';
import { formatPipeline, MAX_PIPELINE_NESTING, PipelineParseError, parsePipeline } from '../src/index.js';

describe('parsePipeline', () => {
  it('parses a flat list with whitespace', () => {
    expect(parsePipeline(' dce , cse,fold ')).toEqual([
      { kind: 'pass', name: 'dce', position: 1 },
      { kind: 'pass', name: 'cse', position: 7 },
      { kind: 'pass', name: 'fold', position: 11 },
    ]);
  });

  it('parses nested fixpoint groups and round-trips through formatPipeline', () => {
    const text = 'fixpoint(cse, fixpoint(fold,dce)),layout';
    const steps = parsePipeline(text);
    expect(steps[0]).toMatchObject({ kind: 'fixpoint', position: 0 });
    expect(formatPipeline(steps)).toBe('fixpoint(cse,fixpoint(fold,dce)),layout');
    expect(formatPipeline(parsePipeline(formatPipeline(steps)))).toBe(formatPipeline(steps));
  });

  it('accepts the empty pipeline', () => {
    expect(parsePipeline('')).toEqual([]);
    expect(parsePipeline('   ')).toEqual([]);
  });

  it.each([
    ['dce,,cse', 4, /expected a pass name, found ','/],
    ['dce,', 4, /found end of pipeline/],
    ['fixpoint(dce', 12, /expected ',' or '\)'/],
    ['fixpoint()', 9, /at least one pass/],
    ['dce(cse)', 0, /'dce' is not a group/],
    ['dce cse', 4, /expected ',' or end of pipeline, found 'c'/],
    ['dce)', 3, /found '\)'/],
    ['1dce', 0, /expected a pass name, found '1'/],
  ])('rejects %j at position %i', (text, position, message) => {
    let error: unknown;
    try {
      parsePipeline(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineParseError);
    expect((error as PipelineParseError).position).toBe(position);
    expect((error as Error).message).toMatch(message);
    // The caret line points at the position under the echoed pipeline.
    const lines = (error as Error).message.split('\n');
    expect(lines[2]!.indexOf('^') - 2).toBe(position);
  });

  it('rejects nesting deeper than MAX_PIPELINE_NESTING with a typed error, not a stack overflow', () => {
    const nested = (n: number) => `${'fixpoint('.repeat(n)}dce${')'.repeat(n)}`;
    expect(parsePipeline(nested(MAX_PIPELINE_NESTING))).toHaveLength(1);
    for (const n of [MAX_PIPELINE_NESTING + 1, 100_000]) {
      expect(() => parsePipeline(nested(n))).toThrow(PipelineParseError);
      expect(() => parsePipeline(nested(n))).toThrow(`nested more than ${MAX_PIPELINE_NESTING} deep`);
    }
  });
});
