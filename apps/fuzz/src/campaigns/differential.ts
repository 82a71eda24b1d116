import type { Backend } from '@paradox/backend';
import { compareArrays, execute, flushSubnormals } from '@paradox/backend-conformance';
import {
  type GeneratedBatch,
  type Graph,
  generateGraphBatch,
  generateGraphBatchOf,
  type HostTensor,
  interpret,
  type TypedArray,
} from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { CampaignRecorder, type CampaignResult, documentSeed, withinTime } from '../campaign.js';
import { optimize } from '../documents.js';
import { describeError } from '../typed-errors.js';

/**
 * Random programs from the independent generator, run on a backend after jit's default pipeline
 * (so fusion and layout are under test too) and compared with the reference interpreter: exact
 * values bit for bit (signed zeros and NaN included), inexact ones (transcendentals, float sums,
 * matmul) within 1e-4. Programs travel in batches (one graph holding many independent programs),
 * so slow compilers (g++ for cuda-emu, SwiftShader for wgsl) run once per batch.
 */
export interface DifferentialOptions {
  programs: number;
  seed: number;
  /** Programs per batch graph. */
  batchSize: number;
  /** Batches compiled at once (backends that batch their compiler work benefit). */
  concurrency: number;
  timeMs: number;
  onProgress?: (done: number) => void;
}

const INEXACT = { rtol: 1e-4, atol: 1e-4 };
const EXACT = { rtol: 0, atol: 0 };

/**
 * One output against the reference: bit for bit when `exact`, else within 1e-4. A backend that
 * declares flushed subnormals (capabilities.numerics) may answer with the result flushed instead, and
 * one that declares finite math only owes the elements whose reference is finite (zeros of either sign).
 */
export function compareOutput(backend: Backend, actual: TypedArray, expected: HostTensor, exact: boolean) {
  const flushes = backend.capabilities.numerics?.flushesSubnormals === true;
  return compareArrays(actual, expected.data, expected.dtype, {
    tolerance: exact ? EXACT : INEXACT,
    zeroSign: exact,
    finiteMath: backend.capabilities.numerics?.assumesFiniteMath === true,
    ...(flushes ? { alternative: flushSubnormals(expected.data) } : {}),
  });
}

export async function runDifferential(
  label: string,
  backend: Backend,
  o: DifferentialOptions,
): Promise<CampaignResult> {
  const rec = new CampaignRecorder(`differential:${label}`, o.seed);
  const batches = Math.ceil(o.programs / o.batchSize);
  for (let start = 0; start < batches; start += o.concurrency) {
    const ids = Array.from({ length: Math.min(o.concurrency, batches - start) }, (_, k) => start + k);
    await Promise.all(
      ids.map((b) => {
        const size = Math.min(o.batchSize, o.programs - b * o.batchSize);
        return runBatch(backend, rec, generateGraphBatch(documentSeed(o.seed, b), size), o.timeMs);
      }),
    );
    o.onProgress?.(rec.result.count);
  }
  return rec.finish();
}

/** Graph -> default pipeline for the backend -> kernel program -> compile -> run -> host arrays. */
async function runOnBackend(backend: Backend, graph: Graph, inputs: HostTensor[]) {
  const program = lowerGraph(optimize(graph, backend.capabilities));
  // A backend with a background compiler (c's cc runs as a child process) compiles batches in parallel.
  const exe = await (backend.compileAsync ? backend.compileAsync(program) : backend.compile(program));
  try {
    return await execute(
      backend,
      exe,
      program,
      inputs.map((t) => t.data),
    );
  } finally {
    exe.dispose();
  }
}

async function runBatch(
  backend: Backend,
  rec: CampaignRecorder,
  batch: GeneratedBatch,
  timeMs: number,
): Promise<void> {
  const expected = interpret(batch.graph, batch.inputs);
  let actual: TypedArray[];
  try {
    actual = (await withinTime(() => runOnBackend(backend, batch.graph, batch.inputs), timeMs)).value;
  } catch (error) {
    if (batch.parts.length === 1) {
      rec.result.count++;
      rec.fail('valid-rejected', 0, `program seed ${batch.parts[0]!.seed}: ${describeError(error)}`);
      return;
    }
    // Something in the batch fails: split it until the failing programs stand alone.
    const seeds = batch.parts.map((p) => p.seed);
    const half = Math.ceil(seeds.length / 2);
    for (const part of [seeds.slice(0, half), seeds.slice(half)])
      await runBatch(backend, rec, generateGraphBatchOf(part), timeMs);
    return;
  }
  rec.result.count += batch.parts.length;
  for (const part of batch.parts) {
    const problems = part.outputs.flatMap((i) => {
      const e = expected[i]!;
      const diff = compareOutput(backend, actual[i]!, e, batch.exactOutputs[i]!);
      return diff ? [`output ${i - part.outputs[0]!} ${e.dtype}[${e.shape.join(',')}]: ${diff}`] : [];
    });
    if (problems.length === 0) rec.result.accepted++;
    else rec.fail('mismatch', 0, `program seed ${part.seed}: ${problems.join('; ')}`);
  }
}
