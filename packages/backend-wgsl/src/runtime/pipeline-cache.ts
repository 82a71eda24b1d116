import { checkTimeout, DEFAULT_TIMEOUT_MS, withDeadline } from './deadline.js';
import { captureErrors, withErrorScopes } from './error-scope.js';
import { WgslCompileError, type WgslDiagnostic } from './errors.js';
import { hashString } from './hash.js';

/** How a shader binds each buffer, in binding order (all in @group(0)). */
export type BindingKind = 'read' | 'write' | 'uniform';

export interface CompiledPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  hash: string;
  /** Bind groups of this pipeline by buffer ids (the runtime's), dropped with the pipeline. */
  readonly bindGroups: Map<string, GPUBindGroup>;
}

export interface PipelineCacheOptions {
  /** Bound on compiling one pipeline (ms); Infinity waits forever. */
  timeoutMs?: number;
  /** Pipelines kept for reuse after their last holder released them (least recently used go first). */
  maxIdle?: number;
}

/** Pipelines no program holds any more, kept for a recompile of the same kernel. */
export const DEFAULT_MAX_IDLE_PIPELINES = 32;

interface Entry {
  source: string;
  promise: Promise<CompiledPipeline>;
  /** The pipeline once compiled (what holders release). */
  value?: CompiledPipeline;
  /** Holders (compiled programs) alive; at 0 the entry is idle and may be evicted. */
  holders: number;
}

/**
 * Compute pipelines keyed by a hash of (WGSL source, binding kinds). The same kernel compiled
 * by two programs, or twice by one, is compiled once. Layouts are explicit rather than 'auto',
 * so a binding that a shader happens not to read still matches its bind group.
 *
 * Bounded by the programs alive: `acquire` counts a holder, `release` drops one, and once no holder
 * is left the pipeline joins an LRU of at most `maxIdle` idle pipelines (a jit cache evicting a
 * program disposes it, which releases its pipelines).
 */
export class PipelineCache {
  /** Insertion order is recency order: a hit re-inserts its entry. */
  private readonly entries = new Map<string, Entry>();
  /** Bound on one compile (ms); the runtime updates it when its own changes. */
  timeoutMs: number;
  private readonly maxIdle: number;
  private idleCount = 0;
  compiled = 0;

  constructor(
    private readonly device: GPUDevice,
    options: PipelineCacheOptions = {},
  ) {
    this.timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.maxIdle = checkMaxIdle(options.maxIdle ?? DEFAULT_MAX_IDLE_PIPELINES);
  }

  /** The pipeline of `source`, compiled at most once while cached; the caller becomes a holder. */
  acquire(source: string, bindings: readonly BindingKind[], label: string): Promise<CompiledPipeline> {
    const full = `${bindings.join(',')}\n${source}`;
    const hash = hashString(full);
    const hit = this.entries.get(hash);
    // Compare the text too: a hash collision must never run the wrong shader.
    if (hit && hit.source === full) {
      if (hit.holders++ === 0) this.idleCount--;
      this.entries.delete(hash);
      this.entries.set(hash, hit);
      return hit.promise;
    }
    if (hit) this.drop(hash, hit);
    const promise = withDeadline(this.build(source, bindings, label, hash), this.timeoutMs, 'compile', label);
    const entry: Entry = { source: full, promise, holders: 1 };
    this.entries.set(hash, entry);
    promise.then(
      (value) => {
        entry.value = value;
      },
      // A failed compile is not cached, so a fixed retry (or a test) sees the error again.
      () => {
        if (this.entries.get(hash) === entry) this.drop(hash, entry);
      },
    );
    return promise;
  }

  /** Drops one holder of `pipeline`; the last one makes it idle (and maybe evicted). */
  release(pipeline: CompiledPipeline): void {
    const entry = this.entries.get(pipeline.hash);
    if (!entry || entry.value !== pipeline || entry.holders <= 0) return;
    if (--entry.holders === 0) {
      this.idleCount++;
      this.evictIdle();
    }
  }

  /** Pipelines cached (held or idle). */
  get size(): number {
    return this.entries.size;
  }

  /** Pipelines cached that no holder uses. */
  get idle(): number {
    return this.idleCount;
  }

  private evictIdle(): void {
    if (this.idleCount <= this.maxIdle) return;
    for (const [hash, entry] of this.entries) {
      if (entry.holders !== 0) continue;
      this.drop(hash, entry);
      if (this.idleCount <= this.maxIdle) return;
    }
  }

  private drop(hash: string, entry: Entry): void {
    this.entries.delete(hash);
    if (entry.holders === 0) this.idleCount--;
    // Holders still running keep their pipeline object; the cache just stops sharing it.
    entry.holders = -1;
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
    return { pipeline, layout, hash, bindGroups: new Map() };
  }
}

/** Checks a user-supplied idle bound: a non-negative integer. */
export function checkMaxIdle(n: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`maxIdlePipelines must be a non-negative integer, got ${String(n)}`);
  return n;
}

function diagnostic(msg: GPUCompilationMessage, source: string): WgslDiagnostic {
  return {
    message: msg.message,
    line: msg.lineNum,
    column: msg.linePos,
    lineText: source.split('\n')[msg.lineNum - 1] ?? '',
  };
}
