import { execute } from '@paradox/backend-conformance';
import { generateGraphCase, interpret, printGraph, type TypedArray } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { presentBackends } from '../backends.js';
import { optimize } from '../documents.js';
import { compareOutput } from './differential.js';

/** One generated program, its inputs, and what a backend and the interpreter make of it. */
export async function replayProgram(seed: number, backendName: string): Promise<string> {
  const c = generateGraphCase(seed);
  const fuzz = presentBackends().find((b) => b.name === backendName);
  if (!fuzz) throw new Error(`no backend '${backendName}'`);
  const backend = await fuzz.create();
  const lines = [printGraph(c.graph), ''];
  for (const [i, t] of c.inputs.entries())
    lines.push(`input ${i}: ${t.dtype}[${t.shape}] = [${Array.from(t.data, fmt).join(', ')}]`);
  const expected = interpret(c.graph, c.inputs);
  let actual: TypedArray[];
  try {
    const program = lowerGraph(optimize(c.graph, backend.capabilities));
    const exe = await backend.compile(program);
    actual = await execute(
      backend,
      exe,
      program,
      c.inputs.map((t) => t.data),
    );
  } catch (e) {
    lines.push(`${backendName} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return lines.join('\n');
  }
  expected.forEach((e, i) => {
    const exact = c.exactOutputs[i]!;
    const diff = compareOutput(backend, actual[i]!, e, exact);
    lines.push(`output ${i} (${exact ? 'exact' : 'within 1e-4'}): ${diff ?? 'agrees'}`);
    lines.push(`  reference: [${Array.from(e.data, fmt).join(', ')}]`);
    lines.push(`  ${backendName}: [${Array.from(actual[i]!, fmt).join(', ')}]`);
  });
  return lines.join('\n');
}

const fmt = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
