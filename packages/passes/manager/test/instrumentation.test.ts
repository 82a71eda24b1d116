import { printGraph } from '@paradox/ir';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatStatsReport,
  formatTimingReport,
  type PassInstrumentation,
  registerPass,
  runPipeline,
  unregisterPass,
} from '../src/index.js';
import { graphWithDeadNodes, identityPass, peelOnePass } from './test-passes.js';

// Registered at load: the describe blocks below compute expectations while tests are collected.
registerPass(peelOnePass);
registerPass(identityPass);
afterAll(() => {
  unregisterPass(peelOnePass.name);
  unregisterPass(identityPass.name);
});

/** Splits the dumps written to the sink into [banner, ir] pairs. */
function dumps(texts: string[]): [string, string][] {
  return texts.map((t) => {
    const [banner, ...rest] = t.split('\n');
    return [banner!, rest.join('\n').trimEnd()];
  });
}

describe('IR printing', () => {
  const pipeline = 'test-identity,test-peel-one';
  const g = graphWithDeadNodes();
  const afterPeel = printGraph(runPipeline(g, 'test-peel-one').graph).trimEnd();
  const original = printGraph(g).trimEnd();

  it('prints after every pass', () => {
    const out: string[] = [];
    runPipeline(g, pipeline, { printAfter: true, printSink: (t) => out.push(t) });
    expect(dumps(out)).toEqual([
      ['// -----// IR after test-identity //----- //', original],
      ['// -----// IR after test-peel-one //----- //', afterPeel],
    ]);
  });

  it('prints only after passes that changed the graph', () => {
    const out: string[] = [];
    runPipeline(g, pipeline, { printChanged: true, printSink: (t) => out.push(t) });
    expect(dumps(out)).toEqual([['// -----// IR after test-peel-one //----- //', afterPeel]]);
  });

  it('prints before every pass', () => {
    const out: string[] = [];
    runPipeline(g, pipeline, { printBefore: true, printSink: (t) => out.push(t) });
    expect(dumps(out)).toEqual([
      ['// -----// IR before test-identity //----- //', original],
      ['// -----// IR before test-peel-one //----- //', original],
    ]);
  });

  it('sends dumps to the logger when no sink is given', () => {
    const info: string[] = [];
    runPipeline(g, 'test-peel-one', {
      printAfter: true,
      logger: { debug() {}, warn() {}, info: (m) => info.push(m) },
    });
    expect(info).toHaveLength(1);
    expect(info[0]).toContain(afterPeel);
  });
});

describe('custom instrumentation', () => {
  it('sees every pass run with its input, result and elapsed time, in order', () => {
    const events: string[] = [];
    const probe: PassInstrumentation = {
      beforePass: (pass, graph) => events.push(`before ${pass} ${graph.nodes.length}`),
      afterPass: (pass, before, result, ms) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        events.push(`after ${pass} ${before.nodes.length}->${result.graph.nodes.length} ${result.changed}`);
      },
    };
    runPipeline(graphWithDeadNodes(), 'fixpoint(test-peel-one)', { instrumentations: [probe] });
    expect(events).toEqual([
      'before test-peel-one 4',
      'after test-peel-one 4->3 true',
      'before test-peel-one 3',
      'after test-peel-one 3->2 true',
      'before test-peel-one 2',
      'after test-peel-one 2->2 false',
    ]);
  });
});

describe('reports', () => {
  it('formats timings slowest first with shares and run counts', () => {
    const text = formatTimingReport([
      { pass: 'dce', runs: 2, ms: 1 },
      { pass: 'fold', runs: 1, ms: 3 },
    ]);
    expect(text.split('\n')).toEqual([
      'pass timing (total 4.000 ms)',
      '       3.000 ms   75.0%  fold  x1',
      '       1.000 ms   25.0%  dce   x2',
    ]);
  });

  it('formats statistics per pass and counter', () => {
    const result = runPipeline(graphWithDeadNodes(), 'fixpoint(test-peel-one)');
    expect(formatStatsReport(result.stats)).toBe('pass statistics\n  test-peel-one.nodesRemoved = 2');
    expect(formatStatsReport({})).toBe('pass statistics\n  (none)');
  });
});
