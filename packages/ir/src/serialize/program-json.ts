import type { KernelProgram } from '../kernel.js';
import { verifyProgram } from '../kernel-analysis/verify-program.js';
import { IR_VERSION } from '../version.js';
import { decodeBuffer, encodeBuffer } from './base64.js';
import { loadDocument, toJson, typedErrorsOnly } from './json.js';
import { programDocSchema } from './schema.js';

/** KernelProgram -> JSON text: `{ irVersion, kind: 'program', program }` with constants base64-encoded. */
export function serializeProgram(program: KernelProgram): string {
  const { irVersion: _ignored, ...rest } = program;
  return toJson({
    irVersion: IR_VERSION,
    kind: 'program',
    program: { ...rest, constants: program.constants.map(encodeBuffer) },
  });
}

/** JSON text (or a parsed document) -> KernelProgram, validated by zod and verifyProgram. */
export function deserializeProgram(json: unknown): KernelProgram {
  return typedErrorsOnly(() => loadProgram(json));
}

function loadProgram(json: unknown): KernelProgram {
  const doc = loadDocument(json, 'program', programDocSchema);
  const p = doc.program;
  const program = {
    ...p,
    irVersion: IR_VERSION,
    constants: p.constants.map((b, i) => decodeBuffer(b, `program.constants.${i}`)),
  } as KernelProgram;
  verifyProgram(program);
  return program;
}
