/// <reference types="@webgpu/types" preserve="true" />
import { captureErrors, withErrorScopes } from './error-scope.js';
import { WgslCompileError, type WgslDiagnostic } from './errors.js';
import { hashString } from './hash.js';

/** How a shader binds each buffer, in binding order (all in @group(0)). */
export type BindingKind = 'read' | 'write' | 'uniform';

export interface CompiledPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  hash: string;
}

/**
 * Compute pipelines keyed by a hash of (WGSL source, binding kinds). The same kernel compiled
 * by two programs, or twice by one, is compiled once. Layouts are explicit rather than 'auto',
 * so a binding that a shader happens not to read still matches its bind group.
 */
export class PipelineCache {
  private readonly entries = new Map<string, { source: string; promise: Promise<CompiledPipeline> }>();
  compiled = 0;

  constructor(private readonly device: GPUDevice) {}

  get(source: string, bindings: readonly BindingKind[], label: string): Promise<CompiledPipeline> {
    const full = `${bindings.join(',')}\n${source}`;
    const hash = hashString(full);
    const hit = this.entries.get(hash);
    // Compare the text too: a hash collision must never run the wrong shader.
    if (hit && hit.source === full) return hit.promise;
    const promise = this.build(source, bindings, label, hash);
    this.entries.set(hash, { source: full, promise });
    // A failed compile is not cached, so a fixed retry (or a test) sees the error again.
    promise.catch(() => this.entries.delete(hash));
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }

  private async build(
    source: string,
    bindings: readonly BindingKind[],
    label: string,
    hash: string,
  ): Promise<CompiledPipeline> {
    const device = this.device;
    const { value: module, error } = await captureErrors(device, `compiling ${label}`, () =>
      device.createShaderModule({ code: source, label }),
    );
    // A bad shader also raises a validation error; the compilation info says where, so it wins.
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((msg) => msg.type === 'error');
    if (errors.length > 0)
      throw new WgslCompileError(
        label,
        source,
        errors.map((e) => diagnostic(e, source)),
      );
    if (error) throw error;
    // Async so a program's kernels compile concurrently and a browser's main thread never blocks.
    const { layout, pipeline } = await withErrorScopes(device, `creating pipeline ${label}`, () => {
      const layout = device.createBindGroupLayout({
        label,
        entries: bindings.map((kind, binding) => ({
          binding,
          visibility: 0x4, // GPUShaderStage.COMPUTE
          buffer: { type: kind === 'read' ? 'read-only-storage' : kind === 'write' ? 'storage' : 'uniform' },
        })),
      });
      const pipeline = device.createComputePipelineAsync({
        label,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
      });
      return pipeline.then((p) => ({ layout, pipeline: p }));
    });
    this.compiled++;
    return { pipeline, layout, hash };
  }
}

function diagnostic(msg: GPUCompilationMessage, source: string): WgslDiagnostic {
  return {
    message: msg.message,
    line: msg.lineNum,
    column: msg.linePos,
    lineText: source.split('\n')[msg.lineNum - 1] ?? '',
  };
}
