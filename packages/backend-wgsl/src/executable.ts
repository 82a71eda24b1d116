import {
  BufferMismatchError,
  checkRunInputs,
  type DeviceBuffer,
  type Executable,
  MalformedProgramError,
} from '@paradox/backend';
import { type BufferDecl, type KernelProgram, outputsNotProvablyCovered } from '@paradox/ir';
import { asWgslBuffer, WgslBuffer } from './buffer.js';
import { deviceBytes, toDevice } from './host-format.js';
import type { CompiledPipeline } from './runtime/pipeline-cache.js';
import type { DispatchCommand, GpuRuntime } from './runtime/runtime.js';

/** Releases the pipelines of executables garbage-collected without dispose(). */
const finalizer = new FinalizationRegistry<() => void>((release) => release());

/** A kernel ready to dispatch: its pipeline, the buffer ids of its bindings, its workgroup count. */
export interface ReadyKernel {
  pipeline: CompiledPipeline;
  buffers: number[];
  workgroups: number;
}

/**
 * A compiled program. Constants are uploaded and memory-plan slots allocated once, at compile
 * time; a run takes its output buffers from the pool, records every kernel into one command
 * encoder and submits once. Warm runs create no GPU buffers (outputs recycle through the pool).
 */
export class WgslExecutable implements Executable {
  private readonly fixed = new Map<number, GPUBuffer>();
  private readonly owned: GPUBuffer[] = [];
  private readonly outputDecls: BufferDecl[];
  /** Outputs the program may not write in full: zeroed before each run. */
  private readonly partialOutputs: Set<number>;
  private disposed = false;

  constructor(
    readonly program: KernelProgram,
    readonly sources: string[],
    private readonly kernels: ReadyKernel[],
    private readonly runtime: GpuRuntime,
    private readonly backend: string,
    /** Materializes buffers allocated before the device existed. */
    private readonly materialize: (b: WgslBuffer) => GPUBuffer,
  ) {
    const decls = new Map(program.buffers.map((b) => [b.id, b]));
    this.outputDecls = program.outputs.map((id) => {
      const d = decls.get(id);
      if (!d) throw new MalformedProgramError(`output names unknown buffer ${id}`, 'program');
      return d;
    });
    this.partialOutputs = new Set(outputsNotProvablyCovered(program));
    this.allocateFixed(program);
    // A program dropped without dispose() still lets go of its pipelines once collected.
    const rt = this.runtime;
    const pipelines = kernels.map((k) => k.pipeline);
    finalizer.register(
      this,
      () => {
        for (const p of pipelines) rt.release(p);
      },
      this,
    );
    const known = new Set([...program.inputs, ...program.outputs, ...this.fixed.keys()]);
    kernels.forEach((k, i) => {
      for (const id of k.buffers) {
        if (!known.has(id))
          throw new MalformedProgramError(`kernel ${i} uses buffer ${id}, which has no storage`, 'program');
      }
    });
  }

  async run(inputs: DeviceBuffer[]): Promise<DeviceBuffer[]> {
    if (this.disposed) throw new BufferMismatchError(`${this.backend}: run() on a disposed executable`);
    checkRunInputs(this.program, inputs, this.backend);
    const storage = new Map(this.fixed);
    this.program.inputs.forEach((id, i) => {
      storage.set(id, this.materialize(asWgslBuffer(inputs[i]!, this.backend)));
    });
    const outputs = this.outputDecls.map((d) => {
      const b = new WgslBuffer(this.backend, d.dtype, d.size, deviceBytes(d.dtype, d.size));
      b.gpu = this.runtime.allocate(b.bytes, 'output');
      storage.set(d.id, b.gpu);
      return b;
    });
    const clear = this.outputDecls.flatMap((d, o) =>
      this.partialOutputs.has(d.id) ? [outputs[o]!.gpu!] : [],
    );
    const commands: DispatchCommand[] = this.kernels.map((k, i) => ({
      pipeline: k.pipeline,
      buffers: k.buffers.map((id) => storage.get(id)!),
      workgroups: k.workgroups,
      label: `kernel ${i}`,
    }));
    try {
      await this.runtime.run('program', commands, clear);
    } catch (e) {
      for (const o of outputs) this.runtime.free(o.gpu!);
      throw e;
    }
    return outputs;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    finalizer.unregister(this);
    for (const k of this.kernels) this.runtime.release(k.pipeline);
    for (const b of this.owned) this.runtime.free(b);
    this.owned.length = 0;
    this.fixed.clear();
  }

  /** Slot buffers for temps (device sizes: bool takes 4 bytes here) and uploaded constants. */
  private allocateFixed(program: KernelProgram): void {
    const slotBytes = new Map<number, number>();
    for (const b of program.buffers) {
      if (b.kind === 'temp' && b.slot !== undefined) {
        slotBytes.set(b.slot, Math.max(slotBytes.get(b.slot) ?? 4, deviceBytes(b.dtype, b.size)));
      }
    }
    const slots = new Map<number, GPUBuffer>();
    for (const [slot, bytes] of slotBytes) {
      const g = this.runtime.allocate(bytes, 'slot');
      this.owned.push(g);
      slots.set(slot, g);
    }
    for (const b of program.buffers) {
      if (b.kind === 'temp') {
        let g = b.slot === undefined ? undefined : slots.get(b.slot);
        if (!g) {
          g = this.runtime.allocate(deviceBytes(b.dtype, b.size), 'temp');
          this.owned.push(g);
        }
        this.fixed.set(b.id, g);
      } else if (b.kind === 'const') {
        const data = b.constant === undefined ? undefined : program.constants[b.constant];
        if (!data || data.length !== b.size) {
          throw new MalformedProgramError(
            `constant buffer ${b.id} has no matching ${b.dtype} data`,
            'program',
          );
        }
        const g = this.runtime.allocate(deviceBytes(b.dtype, b.size), 'constant');
        this.runtime.upload(g, toDevice(b.dtype, data));
        this.owned.push(g);
        this.fixed.set(b.id, g);
      }
    }
  }
}
