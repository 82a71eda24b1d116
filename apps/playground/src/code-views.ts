/**
 * Generated code per backend for one kernel program, through each backend's own render function.
 * C and CUDA come from the backends' render-only entries (`@paradox/backend-c/render`,
 * `@paradox/backend-cuda/render`), which import nothing from Node: the page shows the source a
 * compiler would get, without a compiler.
 */
import { renderCProgram } from '@paradox/backend-c/render';
import { renderProgram as renderCudaSource } from '@paradox/backend-cuda/render';
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
    attempt('c', () => renderCProgram(program).source),
    attempt('cuda', () => renderCudaSource(program)),
  ];
}
