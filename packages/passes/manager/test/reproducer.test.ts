import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeGraph, interpret, printGraph } from '@paradox/ir';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FixpointNotConvergedError,
  isReproducer,
  PassFailedError,
  registerPass,
  runPipeline,
  unregisterPass,
} from '../src/index.js';
import { graphWithDeadNodes, peelOnePass, restlessPass, throwingPass } from './test-passes.js';

const PASSES = [peelOnePass, throwingPass, restlessPass];
let dir: string;
beforeEach(() => {
  for (const p of PASSES) registerPass(p);
  dir = mkdtempSync(join(tmpdir(), 'paradox-repro-test-'));
});
afterEach(() => {
  for (const p of PASSES) unregisterPass(p.name);
  rmSync(dir, { recursive: true, force: true });
});

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('failure reproducer', () => {
  it('writes the failing pass, its input graph and the pipeline context where asked', () => {
    const g = graphWithDeadNodes();
    const error = failure(() =>
      runPipeline(g, 'test-peel-one,test-throws', { reproducerDir: dir }),
    ) as PassFailedError;
    expect(error).toBeInstanceOf(PassFailedError);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(error.reproducerPath).toBe(join(dir, readdirSync(dir)[0]!));
    expect(error.message).toContain(`reproducer: ${error.reproducerPath}`);

    const repro = JSON.parse(readFileSync(error.reproducerPath!, 'utf8'));
    expect(isReproducer(repro)).toBe(true);
    expect(repro).toMatchObject({
      pipeline: 'test-throws',
      fullPipeline: 'test-peel-one,test-throws',
      passesBefore: ['test-peel-one'],
      error: 'RangeError: deliberate failure',
    });
    // The saved graph is what the failing pass received: the input after test-peel-one.
    const saved = deserializeGraph(repro.graph);
    const expected = runPipeline(g, 'test-peel-one').graph;
    expect(printGraph(saved)).toBe(printGraph(expected));
    const x = new Float32Array([1, -2, 3, -4]);
    expect(interpret(saved, [x])[0]!.data).toEqual(interpret(g, [x])[0]!.data);

    // And replaying the reproducer's pipeline on its graph fails the same way.
    const replay = failure(() => runPipeline(saved, repro.pipeline)) as PassFailedError;
    expect(replay.passName).toBe('test-throws');
    expect(replay.cause).toBeInstanceOf(RangeError);
  });

  it('writes the group and its entry graph when a fixpoint does not converge', () => {
    const error = failure(() =>
      runPipeline(graphWithDeadNodes(), 'test-peel-one,fixpoint(test-restless)', {
        reproducerDir: dir,
        maxFixpointIterations: 3,
      }),
    ) as FixpointNotConvergedError;
    expect(error).toBeInstanceOf(FixpointNotConvergedError);
    const repro = JSON.parse(readFileSync(error.reproducerPath!, 'utf8'));
    expect(repro.pipeline).toBe('fixpoint(test-restless)');
    expect(repro.passesBefore).toEqual(['test-peel-one', 'test-restless', 'test-restless', 'test-restless']);
    expect(deserializeGraph(repro.graph).nodes).toHaveLength(3);
  });

  it('writes nothing unless asked', () => {
    const error = failure(() => runPipeline(graphWithDeadNodes(), 'test-throws')) as PassFailedError;
    expect(error.reproducerPath).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('still reports the failure when the reproducer cannot be written', () => {
    const warnings: string[] = [];
    const blocked = join(dir, 'file');
    writeFileSync(blocked, 'not a directory');
    const error = failure(() =>
      runPipeline(graphWithDeadNodes(), 'test-throws', {
        reproducerDir: join(blocked, 'sub'),
        logger: { debug() {}, info() {}, warn: (m) => warnings.push(m) },
      }),
    ) as PassFailedError;
    expect(error).toBeInstanceOf(PassFailedError);
    expect(error.reproducerPath).toBeUndefined();
    expect(warnings[0]).toMatch(/could not write reproducer/);
  });
});
