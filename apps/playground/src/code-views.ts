/**
 * Generated code per backend for one kernel program, through each backend's own render function.
 * Backends whose renderers need Node (the C compiler toolchain, the CUDA driver) are listed with why.
 */
import { jsBackend } from '@paradox/backend-js';
import { wasmBackend } from '@paradox/backend-wasm';
import { wgslBackend } from '@paradox/backend-wgsl';
import type { KernelProgram } from '@paradox/ir';

export interface CodeView {
  readonly backend: string;
  /** The generated source, or why it is not shown. */
  readonly text: string;
  readonly shown: boolean;
}

/** Renderers this page cannot load, with the reason (shown in the page and the README). */
export const NOT_SHOWN: readonly { backend: string; reason: string }[] = [
  {
    backend: 'c',
    reason:
      'renderCProgram (backend-c/src/render) imports @paradox/codegen-c, whose index re-exports its disk cache and toolchain (node:crypto, node:fs, node:child_process); in a browser those imports fail (\'Module "node:crypto" has been externalized for browser compatibility\')',
  },
  {
    backend: 'cuda',
    reason:
      'renderCudaProgram (backend-cuda/src/render) imports @paradox/codegen-c the same way, and the package index loads the CUDA driver through koffi',
  },
];

function hexDump(bytes: Uint8Array, limit: number): string {
  const rows: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, limit); i += 16) {
    const row = Array.from(bytes.subarray(i, Math.min(i + 16, bytes.length)), (b) =>
      b.toString(16).padStart(2, '0'),
    );
    rows.push(`${i.toString(16).padStart(6, '0')}  ${row.join(' ')}`);
  }
  return rows.join('\n');
}

function attempt(backend: string, render: () => string): CodeView {
  try {
    return { backend, text: render(), shown: true };
  } catch (e) {
    return { backend, text: `could not render: ${(e as Error).name}: ${(e as Error).message}`, shown: false };
  }
}

export function renderCodeViews(program: KernelProgram): CodeView[] {
  return [
    attempt('js', () => jsBackend.render(program)),
    attempt('wgsl', () => wgslBackend.render(program)),
    attempt('wasm', () => {
      const bytes = wasmBackend.moduleBytes(program);
      return (
        `;; one WebAssembly module, ${bytes.length} bytes (binary: the backend encodes it directly; the first 512 bytes)\n` +
        hexDump(bytes, 512)
      );
    }),
    ...NOT_SHOWN.map((n) => ({ backend: n.backend, text: `not shown: ${n.reason}`, shown: false })),
  ];
}
