import { deserializeProgram, type KernelProgram, serializeProgram } from '@paradox/ir';
import type { TreeDef } from '@paradox/tracer';
import { z } from 'zod';
import { JitExportError } from './errors.js';
import type { ProgramLayout } from './program-layout.js';
import { argumentLabel, type CallSignature, makeSignature } from './signature.js';
import { treeFromJson, treeJsonSchema, treeToJson } from './tree-json.js';

export const EXPORT_FORMAT = 'paradox-compiled';
export const EXPORT_FORMAT_VERSION = 1;

const DTYPES = ['float32', 'int32', 'bool', 'float16'] as const;

const exportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    formatVersion: z.literal(EXPORT_FORMAT_VERSION),
    backend: z.string(),
    receiver: z.boolean(),
    inputTree: treeJsonSchema,
    outputTree: treeJsonSchema,
    leafTypes: z.array(
      z.object({ dtype: z.enum(DTYPES), shape: z.array(z.number().int().nonnegative()) }).strict(),
    ),
    aliases: z.array(z.number().int().nonnegative()),
    inputLeaves: z.array(z.number().int().nonnegative()),
    program: z.unknown(),
  })
  .strict();

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
  const inputTree = { array: inputChildren.map((c, i) => treeToJson(c, labels[i]!)) };
  return JSON.stringify({
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    backend,
    receiver: signature.receiver,
    inputTree,
    outputTree: treeToJson(layout.outputTree, 'the result'),
    leafTypes: signature.leafTypes,
    aliases: signature.aliases,
    inputLeaves: layout.inputLeaves,
    program: JSON.parse(serializeProgram(program)),
  });
}

/** Parses and validates an export (zod for the envelope, deserializeProgram for the program). */
export function parseExport(json: string | unknown): ExportedProgram {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new JitExportError(`loadCompiled: not JSON (${(e as Error).message})`);
    }
  }
  const parsed = exportSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new JitExportError(
      `loadCompiled: not a ${EXPORT_FORMAT} v${EXPORT_FORMAT_VERSION} document: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const d = parsed.data;
  const tree = treeFromJson(d.inputTree);
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
  if (program.inputs.length !== d.inputLeaves.length) {
    throw new JitExportError(
      `loadCompiled: the program has ${program.inputs.length} input(s) but the export maps ${d.inputLeaves.length}`,
    );
  }
  return {
    backend: d.backend,
    signature: makeSignature(tree, d.leafTypes, d.aliases, d.receiver),
    outputTree: treeFromJson(d.outputTree),
    inputLeaves: d.inputLeaves,
    program,
  };
}
