/**
 * One playground run: trace the user's function, compile it with the chosen pipeline for the chosen
 * backend, run it, check the outputs against the reference interpreter, and time eager against jit.
 */
import { getBackend } from '@paradox/backend';
import { type Graph, interpret, type KernelProgram, parseGraph, type TypedArray } from '@paradox/ir';
import { type JitInspection, StaticGraph } from '@paradox/jit';
import { randn, type Tensor } from '@paradox/tracer';
import { checkOutputs, type OutputCheck } from './compare.js';
import { changedLines } from './ir-diff.js';
import { evaluateUserCode } from './user-code.js';

/** One stage of the pipeline: the IR text after it, its graph, and which lines the stage changed. */
export interface Stage {
  readonly label: string;
  readonly text: string;
  readonly graph: Graph;
  readonly changed: ReadonlySet<number>;
}

export interface RunResult {
  readonly inspection: JitInspection;
  readonly program: KernelProgram;
  readonly stages: readonly Stage[];
  readonly check: OutputCheck;
  /** The backend's outputs (what the check compared). */
  readonly outputs: readonly TypedArray[];
  /** The backend eager ops ran on (the highest-priority registered one). */
  readonly eagerBackend: string;
  readonly eagerMs: number;
  readonly jitMs: number;
}

export interface RunRequest {
  readonly code: string;
  readonly shapes: readonly number[][];
  readonly pipeline: string;
  readonly backend: string;
}

const asList = (result: unknown): Tensor[] =>
  Array.isArray(result) ? (result as Tensor[]) : [result as Tensor];

async function readAll(result: unknown): Promise<TypedArray[]> {
  return Promise.all(asList(result).map((t) => t.data() as Promise<TypedArray>));
}

/**
 * Median ms per call over a few samples, after one warm-up call (so compilation is not timed). Each
 * sample repeats the call until it spans 20 ms: browsers coarsen performance.now() to 0.1 ms.
 */
async function medianMs(body: () => Promise<unknown>, samples = 5): Promise<number> {
  await body();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    let calls = 0;
    const start = performance.now();
    do {
      await body();
      calls++;
    } while (performance.now() - start < 20 && calls < 1000);
    times.push((performance.now() - start) / calls);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function stagesOf(inspection: JitInspection): Stage[] {
  const stages: Stage[] = [
    { label: 'traced', text: inspection.traced, graph: parseGraph(inspection.traced), changed: new Set() },
  ];
  inspection.passes.forEach((p, i) => {
    stages.push({
      label: `${i + 1}. ${p.pass}${p.changed ? '' : ' (no change)'}`,
      text: p.after,
      graph: parseGraph(p.after),
      changed: changedLines(p.before, p.after),
    });
  });
  return stages;
}

export async function runPlayground(request: RunRequest): Promise<RunResult> {
  const fn = evaluateUserCode(request.code);
  const inputs = request.shapes.map((shape, i) => randn(shape, i + 1));
  const captured = StaticGraph.capture(fn, ...inputs);
  const compiled = captured.optimize({ pipeline: request.pipeline, backend: request.backend });
  const actual = await readAll(compiled.run(...inputs));
  const hostInputs = await Promise.all(inputs.map((t) => t.data() as Promise<TypedArray>));
  const expected = interpret(captured.graph, hostInputs).map((t) => t.data);
  const inspection = compiled.inspect();
  const eagerMs = await medianMs(() => readAll(fn(...inputs)));
  const jitMs = await medianMs(() => readAll(compiled.run(...inputs)));
  return {
    inspection,
    program: compiled.program,
    stages: stagesOf(inspection),
    check: checkOutputs(actual, expected),
    outputs: actual,
    eagerBackend: getBackend().name,
    eagerMs,
    jitMs,
  };
}
