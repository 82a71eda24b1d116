import { storageType } from '@paradox/codegen-c';
import { type BufferDecl, type KernelProgram, outputsNotProvablyCovered } from '@paradox/ir';
import type { RenderedProgram } from '../render/program.js';
import { bufferBytes, emulatedLayout } from './layout.js';

/**
 * The C++ host code of one program in an emulated binary: a namespace with each kernel in its
 * own namespace (so helpers may repeat) and a run() that reads the inputs, allocates outputs and
 * temporaries (memory-plan slots shared as on the device, filled with 0xff so unwritten reads
 * show), launches every kernel in order, and writes the outputs.
 */
export function renderEmulatedProgram(program: KernelProgram, rendered: RenderedProgram, ns: string): string {
  const layout = emulatedLayout(program);
  const lines: string[] = [`namespace ${ns} {`];
  for (const k of rendered.kernels)
    lines.push(`namespace ${k.name}_ns {`, k.source, `}  // namespace ${k.name}_ns`);

  const position = new Map(program.buffers.map((b, i) => [b.id, i]));
  const slotPosition = new Map(program.slots.map((s, i) => [s.id, i]));
  const storage = (decl: BufferDecl): string => {
    if (decl.kind === 'temp' && decl.slot !== undefined && slotPosition.has(decl.slot))
      return `slot${slotPosition.get(decl.slot)!}`;
    return `buf${position.get(decl.id)!}`;
  };

  lines.push('void run() {');
  const stdinIds = new Set(layout.stdin.map((d) => d.id));
  for (const decl of layout.stdin) lines.push(`  paradox_emu::Bytes ${storage(decl)}(${bufferBytes(decl)});`);
  for (const decl of layout.stdin) {
    const what = decl.kind === 'const' ? 'constants' : 'inputs';
    lines.push(`  if (!paradox_emu::read_exact(${storage(decl)})) paradox_emu::short_input("${what}");`);
  }
  program.slots.forEach((s, i) => {
    lines.push(`  paradox_emu::Bytes slot${i} = paradox_emu::uninitialized(${s.bytes});`);
  });
  // Outputs the program may not write in full start zeroed, as the device backend clears them.
  const partial = new Set(outputsNotProvablyCovered(program));
  for (const decl of program.buffers) {
    if (stdinIds.has(decl.id) || storage(decl).startsWith('slot')) continue;
    const init = partial.has(decl.id) ? 'zeroed' : 'uninitialized';
    lines.push(`  paradox_emu::Bytes ${storage(decl)} = paradox_emu::${init}(${bufferBytes(decl)});`);
  }
  const decls = new Map(program.buffers.map((b) => [b.id, b]));
  for (const k of rendered.kernels) {
    if (k.empty) continue;
    const args = k.params.map((id) => {
      const decl = decls.get(id)!;
      return `reinterpret_cast<${storageType(decl.dtype)}*>(${storage(decl)}.data())`;
    });
    const mode = k.cooperative ? 'Cooperative' : 'Simple';
    lines.push(
      `  cuda_emu::launch(dim3(${k.grid.join(', ')}), dim3(${k.block.join(', ')}), [&] { ${k.name}_ns::${k.name}(${args.join(', ')}); }, cuda_emu::Mode::${mode});`,
    );
  }
  for (const decl of layout.stdout) lines.push(`  paradox_emu::write_all(${storage(decl)});`);
  lines.push('}', `}  // namespace ${ns}`);
  return lines.join('\n');
}

/** A whole translation unit holding `programs` (from renderEmulatedProgram, namespaces p0, p1, ...). */
export function renderEmulatedBinary(programs: readonly string[]): string {
  const table = programs.map((_, i) => `p${i}::run`).join(', ');
  return [
    '// Paradox CUDA programs compiled for the CPU emulation (cuda_emu.h).',
    '#include "cuda_emu.h"',
    '#include "harness.h"',
    '',
    ...programs,
    '',
    'int main(int argc, char** argv) {',
    `  static const paradox_emu::ProgramFn programs[] = {${table}};`,
    `  return paradox_emu::dispatch(argc, argv, programs, ${programs.length});`,
    '}',
    '',
  ].join('\n');
}
