import { checkSchema, deserializeProgram, type KernelProgram, serializeProgram, toJson } from '@paradox/ir';
import type { TreeDef } from '@paradox/tracer';
import * as z from 'zod/mini';
import { JitExportError } from './errors.js';
import type { ProgramLayout } from './program-layout.js';
import { argumentLabel, type CallSignature, type LeafType, makeSignature } from './signature.js';
import { treeFromJson, treeJsonSchema, treeToJson } from './tree-json.js';

export const EXPORT_FORMAT = 'paradox-compiled';
export const EXPORT_FORMAT_VERSION = 1;

const DTYPES = ['float32', 'int32', 'bool', 'float16'] as const;

const index = z.number().check(z.int(), z.nonnegative());
const exportSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  backend: z.string(),
  receiver: z.boolean(),
  inputTree: treeJsonSchema,
  outputTree: treeJsonSchema,
  leafTypes: z.array(z.strictObject({ dtype: z.enum(DTYPES), shape: z.array(index) })),
  aliases: z.array(index),
  inputLeaves: z.array(index),
  program: z.unknown(),
});

/** What an export holds besides the program, rebuilt as jit's own types. */
export interface ExportedProgram {
  backend: string;
  signature: CallSignature;
  outputTree: TreeDef;
  inputLeaves: number[];
  program: KernelProgram;
}

function describeTop(tree: TreeDef, receiver: boolean): string[] {
  return tree.node.kind === 'array' ? tree.node.children.map((_, i) => argumentLabel(i, receiver)) : [];
}

export function exportProgram(layout: ProgramLayout, program: KernelProgram, backend: string): string {
  const { signature } = layout;
  const labels = describeTop(signature.tree, signature.receiver);
  const inputChildren = signature.tree.node.kind === 'array' ? signature.tree.node.children : [];
  const inputTree = { array: inputChildren.map((c, i) => treeToJson(c, labels[i]!, MAX_TREE_DEPTH - 1)) };
  return JSON.stringify({
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    backend,
    receiver: signature.receiver,
    inputTree,
    outputTree: treeToJson(layout.outputTree, 'the result', MAX_TREE_DEPTH),
    leafTypes: signature.leafTypes,
    aliases: signature.aliases,
    inputLeaves: layout.inputLeaves,
    program: JSON.parse(serializeProgram(program)),
  });
}

/** Pytrees nested deeper than this are not exported or loaded (the checks below recurse per level). */
export const MAX_TREE_DEPTH = 256;

/** Plain JSON data from text or from an object (cycles, throwing getters or Proxy traps become a typed error). */
function plainDocument(input: unknown): unknown {
  if (typeof input === 'string') {
    try {
      return JSON.parse(input);
    } catch (e) {
      throw new JitExportError(`loadCompiled: not JSON (${(e as Error).message})`);
    }
  }
  let text: string | undefined;
  try {
    text = toJson(input); // NaN/±Infinity/-0 travel as $num (deserializeProgram revives them), not as null
  } catch (e) {
    throw new JitExportError(
      `loadCompiled: the document is not plain JSON data (${(e as Error)?.message ?? String(e)})`,
    );
  }
  if (text === undefined)
    throw new JitExportError(`loadCompiled: the document is ${typeof input}, not JSON data`);
  return JSON.parse(text);
}

/** Depth of JSON data, counted without recursion; stops once it passes `max`. */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function checkTreeDepth(doc: unknown): void {
  if (doc === null || typeof doc !== 'object') return;
  for (const field of ['inputTree', 'outputTree'] as const) {
    // Each pytree level is two JSON levels ({ array: [...] }).
    if (depthOver((doc as Record<string, unknown>)[field], 2 * MAX_TREE_DEPTH + 2)) {
      throw new JitExportError(`loadCompiled: ${field} is nested deeper than ${MAX_TREE_DEPTH} levels`);
    }
  }
}

/** Parses and validates an export (zod for the envelope, deserializeProgram for the program). */
export function parseExport(json: string | unknown): ExportedProgram {
  const doc = plainDocument(json);
  checkTreeDepth(doc);
  const parsed = checkSchema(exportSchema, doc);
  if (!parsed.success) {
    const { issue } = parsed;
    throw new JitExportError(
      `loadCompiled: not a ${EXPORT_FORMAT} v${EXPORT_FORMAT_VERSION} document: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const d = parsed.data;
  const tree = treeFromJson(d.inputTree);
  const outputTree = treeFromJson(d.outputTree);
  const n = d.leafTypes.length;
  const consistent =
    tree.numLeaves === n &&
    d.aliases.length === n &&
    d.aliases.every((a, i) => a <= i && d.aliases[a] === a) &&
    d.inputLeaves.every((l) => l < n);
  if (!consistent)
    throw new JitExportError(
      'loadCompiled: leaf types, aliases and input leaves disagree with the input structure',
    );
  const program = deserializeProgram(d.program);
  checkProgramMatches(program, d.inputLeaves, d.leafTypes, outputTree.numLeaves);
  return {
    backend: d.backend,
    signature: makeSignature(tree, d.leafTypes, d.aliases, d.receiver),
    outputTree,
    inputLeaves: d.inputLeaves,
    program,
  };
}

/** The program's inputs and outputs must be the ones the envelope describes (checked at load, not at run()). */
function checkProgramMatches(
  program: KernelProgram,
  inputLeaves: readonly number[],
  leafTypes: readonly LeafType[],
  outputLeaves: number,
): void {
  if (program.inputs.length !== inputLeaves.length) {
    throw new JitExportError(
      `loadCompiled: the program has ${program.inputs.length} input(s) but the export maps ${inputLeaves.length}`,
    );
  }
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  program.inputs.forEach((id, k) => {
    const leaf = leafTypes[inputLeaves[k]!]!;
    const shape = program.inputShapes[k]!;
    if (decls.get(id)!.dtype !== leaf.dtype || shape.join(',') !== leaf.shape.join(',')) {
      throw new JitExportError(
        `loadCompiled: program input ${k} is ${decls.get(id)!.dtype}[${shape.join(',')}] but the export feeds it ` +
          `leaf ${inputLeaves[k]} of type ${leaf.dtype}[${leaf.shape.join(',')}]`,
      );
    }
  });
  if (program.outputs.length !== outputLeaves) {
    throw new JitExportError(
      `loadCompiled: the program has ${program.outputs.length} output(s) but outputTree has ${outputLeaves} leaves`,
    );
  }
}
