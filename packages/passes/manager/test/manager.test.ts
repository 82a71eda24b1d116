import { interpret, printGraph, VerifyError } from '@paradox/ir';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FixpointNotConvergedError,
  getPass,
  listPasses,
  type Pass,
  PassFailedError,
  PassManager,
  PassRegistrationError,
  PipelineCycleError,
  PipelineParseError,
  registerPass,
  registerPipeline,
  runPipeline,
  UnknownPassError,
  unregisterPass,
  unregisterPipeline,
} from '../src/index.js';
import {
  danglingPass,
  graphWithDeadNodes,
  identityPass,
  mutatingPass,
  peelOnePass,
  restlessPass,
  throwingPass,
} from './test-passes.js';

const TEST_PASSES = [peelOnePass, identityPass, throwingPass, danglingPass, mutatingPass, restlessPass];
const TEST_PIPELINES = ['test-default', 'test-loop-a', 'test-loop-b'];

beforeEach(() => {
  for (const p of TEST_PASSES) registerPass(p);
});
afterEach(() => {
  for (const p of TEST_PASSES) unregisterPass(p.name);
  for (const name of TEST_PIPELINES) unregisterPipeline(name);
});

const x = new Float32Array([-1, 2, -3, 0.5]);

describe('registry', () => {
  it('registers, lists and looks up passes', () => {
    expect(listPasses()).toEqual(expect.arrayContaining(TEST_PASSES.map((p) => p.name)));
    expect(getPass('test-identity')).toBe(identityPass);
    registerPass(identityPass); // the same object again is a no-op
  });

  it('rejects a different pass under a taken name, bad names and reserved words', () => {
    expect(() => registerPass({ ...identityPass })).toThrow(PassRegistrationError);
    expect(() => registerPass({ name: 'has space', run: identityPass.run })).toThrow(/must match/);
    expect(() => registerPass({ name: 'fixpoint', run: identityPass.run })).toThrow(/reserved/);
    expect(() => registerPipeline('test-identity', 'test-peel-one')).toThrow(/already the name of a pass/);
  });

  it('parses a pipeline definition when it is registered', () => {
    expect(() => registerPipeline('test-default', 'a,,b')).toThrow(PipelineParseError);
  });
});

describe('PassManager', () => {
  it('runs passes in order and returns a graph with the same results', () => {
    const g = graphWithDeadNodes();
    const result = runPipeline(g, 'test-peel-one,test-peel-one');
    expect(result.changed).toBe(true);
    expect(result.graph.nodes.map((n) => n.op)).toEqual(['neg', 'relu']);
    expect(result.stats['test-peel-one']).toEqual({ nodesRemoved: 2 });
    expect(result.timings).toEqual([{ pass: 'test-peel-one', runs: 2, ms: expect.any(Number) }]);
    expect(interpret(result.graph, [x])[0]!.data).toEqual(new Float32Array([1, 0, 3, 0]));
    expect(graphWithDeadNodes().nodes).toHaveLength(4); // sanity: the fixture itself has the dead nodes
    expect(g.nodes).toHaveLength(4); // and the input graph was not touched
  });

  it('iterates a fixpoint group until nothing changes', () => {
    const result = runPipeline(graphWithDeadNodes(), 'fixpoint(test-peel-one,test-identity)');
    expect(result.graph.nodes.map((n) => n.op)).toEqual(['neg', 'relu']);
    // Two productive rounds and one that confirms convergence.
    expect(result.timings.find((t) => t.pass === 'test-peel-one')!.runs).toBe(3);
    expect(result.timings.find((t) => t.pass === 'test-identity')!.runs).toBe(3);
  });

  it('skipRepeatedRuns skips only runs on a graph the pass already left unchanged', () => {
    const plain = runPipeline(graphWithDeadNodes(), 'fixpoint(test-peel-one,test-identity)');
    const skipping = runPipeline(graphWithDeadNodes(), 'fixpoint(test-peel-one,test-identity)', {
      skipRepeatedRuns: true,
    });
    expect(printGraph(skipping.graph)).toBe(printGraph(plain.graph));
    expect(skipping.changed).toBe(true);
    // The confirming round runs test-peel-one (its last run changed the graph) and skips
    // test-identity, which already saw that very graph unchanged in the second round.
    expect(skipping.timings.find((t) => t.pass === 'test-peel-one')!.runs).toBe(3);
    expect(skipping.timings.find((t) => t.pass === 'test-identity')!.runs).toBe(2);
  });

  it('reports unchanged for a pipeline that changes nothing', () => {
    const g = graphWithDeadNodes();
    const result = runPipeline(g, 'test-identity,fixpoint(test-identity)');
    expect(result.changed).toBe(false);
    expect(result.graph).toBe(g);
  });

  it('fails clearly when a fixpoint group does not converge', () => {
    const run = () =>
      runPipeline(graphWithDeadNodes(), 'test-identity,fixpoint(test-identity,test-restless)', {
        maxFixpointIterations: 5,
      });
    expect(run).toThrow(FixpointNotConvergedError);
    expect(run).toThrow(
      /fixpoint\(test-identity,test-restless\) did not converge after 5 iterations; still changing: test-restless/,
    );
  });

  it('expands registered pipelines such as default, recursively', () => {
    registerPipeline('test-default', 'fixpoint(test-peel-one),test-identity');
    registerPipeline('test-loop-a', 'test-default,test-identity');
    const pm = new PassManager('test-loop-a');
    expect(pm.expanded).toBe('fixpoint(test-peel-one),test-identity,test-identity');
    expect(pm.run(graphWithDeadNodes()).graph.nodes).toHaveLength(2);
  });

  it('rejects pipelines that refer to each other in a cycle', () => {
    registerPipeline('test-loop-a', 'test-identity,test-loop-b');
    registerPipeline('test-loop-b', 'test-loop-a');
    expect(() => new PassManager('test-loop-a')).toThrow(PipelineCycleError);
    expect(() => new PassManager('test-loop-a')).toThrow('test-loop-a -> test-loop-b -> test-loop-a');
  });

  it('names an unknown pass and lists the registered ones, before running anything', () => {
    let ran = false;
    const spy: Pass = {
      name: 'test-identity',
      run(graph) {
        ran = true;
        return { graph, changed: false };
      },
    };
    registerPass(spy, { replace: true });
    let error: unknown;
    try {
      runPipeline(graphWithDeadNodes(), 'test-identity,nope');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownPassError);
    expect((error as UnknownPassError).passName).toBe('nope');
    expect((error as Error).message).toMatch(
      /unknown pass 'nope'; registered passes: .*test-identity.*test-peel-one/,
    );
    expect(ran).toBe(false);
  });

  it('hands each pass its options, the capabilities and a shared outputs record', () => {
    const seen: unknown[] = [];
    const writer: Pass = {
      name: 'test-writer',
      run(graph, ctx) {
        seen.push(ctx.options, ctx.capabilities?.maxBuffersPerKernel);
        (ctx.outputs as Record<string, unknown>).report = 'from writer';
        return { graph, changed: false };
      },
    };
    const reader: Pass = {
      name: 'test-reader',
      run(graph, ctx) {
        seen.push((ctx.outputs as Record<string, unknown>).report);
        return { graph, changed: false };
      },
    };
    registerPass(writer);
    registerPass(reader);
    try {
      const capabilities = { dtypes: ['float32' as const], ops: new Set(['add']), maxBuffersPerKernel: 8 };
      const result = runPipeline(graphWithDeadNodes(), 'test-writer,test-reader', {
        passOptions: { 'test-writer': { level: 3 } },
        capabilities,
      });
      expect(seen).toEqual([{ level: 3 }, 8, 'from writer']);
      expect(result.outputs).toEqual({ report: 'from writer' });
    } finally {
      unregisterPass('test-writer');
      unregisterPass('test-reader');
    }
  });
});

describe('failures', () => {
  it('wraps a throwing pass in PassFailedError naming it and the passes before it', () => {
    let error: unknown;
    try {
      runPipeline(graphWithDeadNodes(), 'test-peel-one,fixpoint(test-identity),test-throws,test-identity');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PassFailedError);
    const failed = error as PassFailedError;
    expect(failed.passName).toBe('test-throws');
    expect(failed.phase).toBe('run');
    expect(failed.passesBefore).toEqual(['test-peel-one', 'test-identity']);
    expect(failed.cause).toBeInstanceOf(RangeError);
    expect(failed.message).toMatch(/pass 'test-throws' failed/);
    expect(failed.message).toMatch(/passes before it: test-peel-one, test-identity/);
    expect(failed.message).toMatch(/RangeError: deliberate failure/);
    expect(failed.reproducerPath).toBeUndefined();
  });

  it('in verify mode, rejects a pass whose output the verifier rejects', () => {
    const run = (verify: boolean) => runPipeline(graphWithDeadNodes(), 'test-dangling', { verify });
    expect(() => run(false)).not.toThrow(); // without verification the broken graph slips through
    let error: unknown;
    try {
      run(true);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PassFailedError);
    expect((error as PassFailedError).phase).toBe('verify');
    expect((error as Error).message).toMatch(/pass 'test-dangling' produced a graph the verifier rejects/);
    expect((error as Error).message).toMatch(/VerifyError/);
  });

  it('in verify mode, rejects a pass that mutates its input', () => {
    const g = graphWithDeadNodes();
    expect(() => runPipeline(g, 'test-mutates', { verify: true })).toThrow(/mutated the graph it was given/);
  });
});

describe('verify mode input check', () => {
  it("reports an invalid input as the verifier's error, not as the first pass failing", () => {
    const g = graphWithDeadNodes();
    const broken = { ...g, outputs: ['missing'] };
    expect(() => runPipeline(broken, 'test-identity', { verify: true })).toThrow(VerifyError);
    expect(() => runPipeline(broken, 'test-identity', { verify: true })).not.toThrow(PassFailedError);
  });
});
