import type { Backend, DeviceBuffer, Executable } from '@paradox/backend';
import {
  type DType,
  type Graph,
  type HostTensor,
  interpret,
  type KernelProgram,
  type TypedArray,
  valueTypes,
} from '@paradox/ir';
import { type CompareOptions, compareArrays } from './compare.js';

/** Graph ops and value dtypes a graph needs from a backend. */
export function graphNeeds(graph: Graph): { ops: Set<string>; dtypes: Set<DType> } {
  const ops = new Set(graph.nodes.map((n) => n.op));
  const dtypes = new Set([...valueTypes(graph).values()].map((t) => t.dtype));
  return { ops, dtypes };
}

/** What the backend lacks for this graph ('' when nothing). */
export function missingCapabilities(backend: Backend, graph: Graph): string {
  const { ops, dtypes } = graphNeeds(graph);
  const missing = [
    ...[...dtypes].filter((d) => !backend.capabilities.dtypes.includes(d)),
    ...[...ops].filter((o) => !backend.capabilities.ops.has(o)),
  ];
  return missing.join(', ');
}

/**
 * The optional readInPlace contract: the buffer's own array, holding what download() returned,
 * which is a different array (a copy the caller owns).
 */
function checkReadInPlace(backend: Backend, buffer: DeviceBuffer, downloaded: TypedArray): void {
  const inPlace = backend.readInPlace?.(buffer);
  if (inPlace === undefined) return;
  const same =
    inPlace.length === downloaded.length &&
    inPlace.constructor === downloaded.constructor &&
    inPlace.every((v, i) => Object.is(v, downloaded[i]));
  if (!same) throw new Error(`${backend.name}: readInPlace() differs from download() of the same buffer`);
  if (inPlace.length > 0 && inPlace === downloaded)
    throw new Error(`${backend.name}: download() returned the buffer's own array (readInPlace), not a copy`);
}

/** Uploads inputs, runs, downloads every output, frees the device buffers. */
export async function execute(
  backend: Backend,
  exe: Executable,
  program: KernelProgram,
  inputs: TypedArray[],
): Promise<TypedArray[]> {
  const buffers = program.inputs.map((id, i) => {
    const decl = program.buffers.find((b) => b.id === id)!;
    const buf = backend.allocate(decl.dtype, decl.size);
    backend.upload(buf, inputs[i]!);
    return buf;
  });
  try {
    const outputs = await exe.run(buffers);
    const data: TypedArray[] = [];
    for (const o of outputs) {
      const downloaded = await backend.download(o);
      checkReadInPlace(backend, o, downloaded);
      data.push(downloaded);
      backend.free(o);
    }
    return data;
  } finally {
    for (const b of buffers) backend.free(b);
  }
}

/**
 * Runs a compiled program and compares every output with the reference interpreter; throws on
 * mismatch. With `flushesSubnormals`, an element may instead match the reference run on inputs
 * whose float32 subnormals are flushed to signed zeros, with its results flushed the same way.
 */
export async function checkAgainstReference(
  backend: Backend,
  exe: Executable,
  graph: Graph,
  program: KernelProgram,
  inputs: TypedArray[],
  options: CompareOptions & { flushesSubnormals?: boolean },
): Promise<void> {
  const expected: HostTensor[] = interpret(graph, inputs);
  const flushed = options.flushesSubnormals
    ? interpret(graph, inputs.map(flushSubnormals)).map((t) => flushSubnormals(t.data))
    : undefined;
  const actual = await execute(backend, exe, program, inputs);
  if (actual.length !== expected.length)
    throw new Error(`expected ${expected.length} outputs, got ${actual.length}`);
  const problems = expected.flatMap((e, i) => {
    const diff = compareArrays(actual[i]!, e.data, e.dtype, { ...options, alternative: flushed?.[i] });
    return diff ? [`output ${i} (${e.dtype}[${e.shape.join(',')}]): ${diff}`] : [];
  });
  if (problems.length > 0)
    throw new Error(`${backend.name} disagrees with the reference interpreter:\n${problems.join('\n')}`);
}

/** A copy of a float32 array with subnormals replaced by zeros of the same sign (others as they are). */
export function flushSubnormals(data: TypedArray): TypedArray {
  if (!(data instanceof Float32Array)) return data;
  return data.map((v) => (v !== 0 && Math.abs(v) < 1.1754943508222875e-38 ? (v < 0 ? -0 : 0) : v));
}
