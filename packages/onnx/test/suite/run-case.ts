import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type OnnxSession,
  OnnxStaticValueError,
  OnnxUnsupportedOpError,
  onnxMessage,
  onnxSession,
} from '../../src/index.js';
import { type CaseRef, readDataSets } from './cases.js';
import { firstMismatch } from './compare.js';

export type Outcome =
  | { status: 'pass' }
  | { status: 'unsupported'; op: string; reason: string }
  | { status: 'fail'; reason: string };

interface GraphNames {
  graph?: {
    input?: { name?: string; type?: { tensor_type?: { elem_type?: number } } }[];
    initializer?: { name?: string }[];
  };
}

const INTEGER_TYPES = new Set([2, 3, 4, 5, 6, 7, 12, 13]);

/** The model's runtime inputs in declaration order (what input_k.pb feeds), with whether each is integer. */
function declaredInputs(model: Uint8Array): { name: string; integer: boolean }[] {
  const g = (onnxMessage('ModelProto').decode(model) as GraphNames).graph;
  const inits = new Set((g?.initializer ?? []).map((t) => t.name));
  return (g?.input ?? [])
    .filter((i) => !inits.has(i.name))
    .map((i) => ({ name: i.name ?? '', integer: INTEGER_TYPES.has(i.type?.tensor_type?.elem_type ?? 0) }));
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 200);

/**
 * Imports the case's model, runs every data set on `backend` and compares with ONNX's tolerances.
 * An input that decides a shape (OnnxStaticValueError naming it) is bound from the data set and the
 * import retried: Paradox compiles static shapes, the test data gives the values.
 */
export async function runCase(c: CaseRef, backend: string): Promise<Outcome> {
  const bytes = readFileSync(join(c.dir, 'model.onnx'));
  try {
    const declared = declaredInputs(bytes);
    const names = declared.map((d) => d.name);
    const sets = readDataSetsLazily(c);
    const staticInputs: Record<string, ArrayLike<number>> = {};
    let session: OnnxSession | undefined;
    for (let attempt = 0; session === undefined; attempt++) {
      try {
        session = onnxSession(bytes, { backend, staticInputs });
      } catch (err) {
        if (!(err instanceof OnnxStaticValueError) || attempt > names.length) throw err;
        // A value computed from inputs: bind every integer input (they carry sizes and positions).
        const wanted =
          err.input !== undefined ? [err.input] : declared.filter((d) => d.integer).map((d) => d.name);
        const fresh = wanted.filter((n) => staticInputs[n] === undefined);
        if (fresh.length === 0) throw err;
        for (const n of fresh) staticInputs[n] = sets()[0]!.inputs[names.indexOf(n)]!.values;
      }
    }
    for (const [s, set] of sets().entries()) {
      const feeds = Object.fromEntries(
        names.map((n, k) => [n, { data: set.inputs[k]!.values, dims: set.inputs[k]!.dims }] as const),
      );
      for (const n of Object.keys(staticInputs)) delete feeds[n];
      const outs = await session.run(feeds);
      for (const [k, name] of session.outputNames.entries()) {
        const expected = set.outputs[k];
        if (!expected) return { status: 'fail', reason: `data set ${s} has no output_${k}.pb` };
        const t = outs[name]!;
        if (t.shape.join(',') !== expected.dims.join(',')) {
          return {
            status: 'fail',
            reason: `output ${k} has shape [${t.shape}], expected [${expected.dims}]`,
          };
        }
        const bad = firstMismatch(await t.data(), expected.values);
        if (bad !== undefined) return { status: 'fail', reason: `wrong values: output ${k} ${bad}` };
      }
    }
    return { status: 'pass' };
  } catch (err) {
    if (err instanceof OnnxUnsupportedOpError) {
      return { status: 'unsupported', op: err.opType, reason: oneLine(err.detail ?? '') };
    }
    const e = err as Error;
    return { status: 'fail', reason: oneLine(`${e.name}: ${e.message}`) };
  }
}

function readDataSetsLazily(c: CaseRef) {
  let sets: ReturnType<typeof readDataSets> | undefined;
  return () => {
    sets ??= readDataSets(c);
    return sets;
  };
}
