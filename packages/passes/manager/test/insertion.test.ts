import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InsertionPointError,
  PassManager,
  PipelineParseError,
  parseInsertion,
  registerPass,
  registerPipeline,
  unregisterPass,
  unregisterPipeline,
} from '../src/index.js';
import { graphWithDeadNodes, identityPass, peelOnePass } from './test-passes.js';

const tracePass = (name: string, log: string[]) => ({
  name,
  run: (graph: Parameters<typeof identityPass.run>[0]) => {
    log.push(name);
    return { graph, changed: false };
  },
});

const log: string[] = [];
const passes = [
  identityPass,
  peelOnePass,
  tracePass('test-a', log),
  tracePass('test-b', log),
  tracePass('test-c', log),
];

beforeAll(() => {
  for (const p of passes) registerPass(p);
  registerPipeline('test-pipe', 'test-a,fixpoint(test-peel-one,test-b)');
});
afterAll(() => {
  for (const p of passes) unregisterPass(p.name);
  unregisterPipeline('test-pipe');
});

describe('pass insertion at named points (issue #15 item 5)', () => {
  it('inserts before/after a pass of a named pipeline without restating it', () => {
    const pm = new PassManager('test-pipe', {
      insert: [
        { at: 'before:test-a', pipeline: 'test-c' },
        { at: 'after:test-peel-one', pipeline: 'test-identity,test-c' },
      ],
    });
    expect(pm.expanded).toBe('test-c,test-a,fixpoint(test-peel-one,test-identity,test-c,test-b)');
    log.length = 0;
    const { graph } = pm.run(graphWithDeadNodes());
    // The inserted pass runs inside the fixpoint group every round (two peels, then a quiet round).
    expect(log).toEqual(['test-c', 'test-a', ...Array(3).fill(['test-c', 'test-b']).flat()]);
    expect(graph.nodes.map((n) => n.op)).toEqual(['neg', 'relu']);
  });

  it('inserts into the default pipeline as jit and paradox-opt run it', () => {
    // The default pipeline's passes need not be loaded to place a pass around them by name:
    // resolving them is what fails here, so use a pipeline of test passes named like the point.
    const pm = new PassManager('test-a,test-b', { insert: [parseInsertion('after:test-a=test-c')] });
    expect(pm.expanded).toBe('test-a,test-c,test-b');
  });

  it('names the points there are when a point is missing, and rejects malformed insertions', () => {
    expect(
      () => new PassManager('test-pipe', { insert: [{ at: 'after:nosuch', pipeline: 'test-c' }] }),
    ).toThrow(
      new InsertionPointError(
        "no pass 'nosuch' in the pipeline to insert 'test-c' after; insertion points: before:test-a, after:test-a, before:test-peel-one, after:test-peel-one, before:test-b, after:test-b",
      ),
    );
    expect(() => parseInsertion('after:test-a')).toThrow(InsertionPointError);
    expect(() => parseInsertion('around:test-a=test-c')).toThrow(InsertionPointError);
    expect(() => parseInsertion('after:test-a=fixpoint(')).toThrow(PipelineParseError);
    expect(parseInsertion('before:fusion=a,b')).toEqual({ at: 'before:fusion', pipeline: 'a,b' });
  });
});
