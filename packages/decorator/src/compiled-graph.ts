import type { Backend, DeviceBuffer, Executable } from '@paradox/backend';
import { type KernelProgram, printGraph, printProgram } from '@paradox/ir';
import { flattenTree, type Tensor, unflattenTree } from '@paradox/tracer';
import { type Compilation, compileGraph } from './compile.js';
import { inputBuffer, isPromise, outputTensor, quiet } from './device-io.js';
import { type Donation, planDonation, releaseDonated, reuseBuffers, takeDonated } from './donation.js';
import { JitArgumentError, JitError } from './errors.js';
import { describeChanges } from './explain.js';
import { exportProgram } from './export-format.js';
import { inspectCompilation, type JitInspection } from './inspection.js';
import { checkOptionNames } from './option-names.js';
import { COMPILE_OPTION_NAMES, type CompileOptions } from './options.js';
import { type ProgramLayout, programLayout } from './program-layout.js';
import { signatureOf } from './signature.js';
import type { TierState } from './tiers.js';
import type { TracedCall } from './trace-call.js';

/** Turns `run()`'s arguments into the call pytree the signature describes (boxing declared statics). */
export type CallTreeOf = (args: readonly unknown[]) => unknown[];

const identityTree: CallTreeOf = (args) => args as unknown[];

/**
 * A compiled program for one signature: `run()` executes it on tensors, `inspect()` shows every stage,
 * `export()` serializes it for `loadCompiled()`. Outputs are fresh tensors the caller owns; intermediates
 * live in the program's planned slots. On a sync backend results are ready at once (`dataSync()`), on an
 * async one they resolve through `await t.data()`.
 */
export class CompiledGraph<A extends unknown[] = unknown[], R = unknown> {
  // Replaced together when a better tier's program is adopted (the layout's input leaves stay the same).
  private servingBackend: Backend;
  private servingProgram: KernelProgram;
  private servingLayout: ProgramLayout;
  private servingDonation: Donation | undefined;
  private executable: Executable | undefined;
  private pending: Promise<Executable> | undefined;
  /** Input buffers of the sync fast path, reused across calls (cleared after each so nothing stays alive). */
  private readonly scratch: DeviceBuffer[];
  private readonly singleOutput: boolean;
  private disposed = false;
  /** With tiers: the background climb to the better ones (see compileTiered). */
  private tiers: TierState | undefined;
  /** Whether the graph was traced with the user's call sites (inspect() shows them in the IR). */
  sourceLocations = true;

  constructor(
    layout: ProgramLayout,
    backend: Backend,
    program: KernelProgram,
    executable: Executable | Promise<Executable>,
    private compilation: Compilation | undefined,
    private readonly callTree: CallTreeOf = identityTree,
    /** Buffer donation (the `donate` option), planned against this program. */
    donation?: Donation,
  ) {
    this.servingLayout = layout;
    this.servingBackend = backend;
    this.servingProgram = program;
    this.servingDonation = donation;
    this.setExecutable(executable);
    this.scratch = new Array(layout.inputLeaves.length);
    this.singleOutput = layout.outputTree.key === '*';
  }

  /** The backend whose program serves calls (with tiers: the best that finished compiling). */
  get backend(): Backend {
    return this.servingBackend;
  }

  get program(): KernelProgram {
    return this.servingProgram;
  }

  get layout(): ProgramLayout {
    return this.servingLayout;
  }

  /** Buffer donation (the `donate` option), planned against the serving program (same donated leaves on every tier). */
  get donation(): Donation | undefined {
    return this.servingDonation;
  }

  private setExecutable(executable: Executable | Promise<Executable>): void {
    this.executable = undefined;
    this.pending = undefined;
    if (isPromise(executable)) {
      const pending = executable;
      this.pending = pending;
      pending.then(
        (e) => {
          if (this.pending === pending) this.executable = e;
        },
        () => {},
      );
    } else this.executable = executable;
  }

  /** Serves calls with the tier climb `tiers` (its better programs come through adopt()). */
  withTiers(tiers: TierState): this {
    this.tiers = tiers;
    return this;
  }

  /** Takes over a better tier's program (same signature, same input leaves); the old one is disposed. */
  adopt(better: CompiledGraph): void {
    if (this.disposed) {
      better.dispose();
      return;
    }
    this.releaseExecutable();
    this.servingBackend = better.servingBackend;
    this.servingProgram = better.servingProgram;
    this.servingLayout = better.servingLayout;
    this.servingDonation = better.servingDonation;
    this.compilation = better.compilation;
    this.setExecutable(better.executable ?? better.pending!);
    better.disposed = true; // its executable now belongs to this graph
  }

  /**
   * Resolves with the serving backend's name once the best tier that compiles serves (at once
   * without tiers, after the executable exists for an async backend).
   */
  async ready(): Promise<string> {
    await this.tiers?.done;
    await this.whenCompiled().catch(() => {});
    return this.servingBackend.name;
  }

  /** Compiles a traced call (jit and StaticGraph.optimize come through here). */
  static fromTrace<A extends unknown[] = unknown[], R = unknown>(
    traced: TracedCall,
    options: CompileOptions,
    callTree?: CallTreeOf,
    background = false,
  ): CompiledGraph<A, R> {
    checkOptionNames(options, COMPILE_OPTION_NAMES, 'compile options');
    const c = compileGraph(traced.graph, options, background);
    const layout = programLayout(c.program, traced);
    const donation = options.donate?.length
      ? planDonation(c.program, traced.signature, traced.inputLeaves, options.donate)
      : undefined;
    const graph = new CompiledGraph<A, R>(layout, c.backend, c.program, c.executable, c, callTree, donation);
    graph.sourceLocations = traced.locations;
    return graph;
  }

  /** Settles once the executable exists: at once for a sync compile, rejecting if an async compile failed. */
  async whenCompiled(): Promise<void> {
    if (this.executable === undefined) await this.pending;
  }

  /** Runs the program after checking the arguments against the compiled signature. */
  run(...args: A): R {
    const expected = this.layout.signature;
    const { leaves, treedef } = flattenTree(this.callTree(args));
    const given = signatureOf(treedef, leaves, expected.receiver);
    if (given.key !== expected.key) {
      const sameTypes =
        given.tree.key === expected.tree.key &&
        given.leafTypes.every((t, i) => {
          const e = expected.leafTypes[i]!;
          return t.dtype === e.dtype && t.shape.join(',') === e.shape.join(',');
        });
      // Distinct tensors where the program merged aliased inputs would be silently wrong; the reverse is fine.
      const aliasesHold = expected.aliases.every((first, j) => leaves[j] === leaves[first]);
      if (!sameTypes || !aliasesHold) {
        throw new JitArgumentError(
          `arguments do not match the signature this program was compiled for: ${describeChanges(expected, given).join('; ')}`,
        );
      }
    }
    return this.runIndexed(leaves, this.layout.inputLeaves) as R;
  }

  /**
   * Runs without validation (jit's cache already matched the signature): program input k is
   * `source[positions[k]]`; with donation, `donated` are the positions in `source` of the donated
   * tensors (by default the donation's leaves, for a source of call leaves).
   */
  runIndexed(
    source: readonly unknown[],
    positions: readonly number[],
    donated: readonly number[] | undefined = this.donation?.leaves,
  ): unknown {
    if (this.disposed) throw new JitError('run() on a disposed compiled program');
    if (this.tiers) this.tiers.lastRan = this.servingBackend.name;
    if (this.donation && donated) return this.runDonating(source, positions, this.donation, donated);
    const exe = this.executable;
    if (exe !== undefined && this.backend.capabilities.sync) {
      const bufs = this.scratch;
      let direct = true;
      for (let k = 0; k < positions.length; k++) {
        const storage = (source[positions[k]!] as Tensor).storage('a jit call');
        if (storage.kind !== 'device' || storage.backend !== this.backend || isPromise(storage.buffer)) {
          direct = false;
          break;
        }
        bufs[k] = storage.buffer;
      }
      if (direct) {
        try {
          const outs = exe.run(bufs);
          return isPromise(outs) ? this.wrapPending(outs) : this.wrap(outs);
        } finally {
          // A loop, not fill(): Array.prototype.fill is a runtime call, a measurable part of a small call.
          for (let k = 0; k < positions.length; k++) bufs[k] = undefined as unknown as DeviceBuffer;
        }
      }
    }
    return this.runGeneral(source, positions);
  }

  /**
   * A run that consumes the donated tensors: on a synchronous backend with every input in place,
   * outputs proven safe are written into donated memory; otherwise the run allocates as usual.
   * Either way the donated tensors are invalid afterwards and their memory not reused is freed.
   */
  private runDonating(
    source: readonly unknown[],
    positions: readonly number[],
    donation: Donation,
    donated: readonly number[],
  ): unknown {
    const exe = this.executable;
    const bufs: DeviceBuffer[] = [];
    let direct = exe !== undefined && this.backend.capabilities.sync;
    for (let k = 0; direct && k < positions.length; k++) {
      const storage = (source[positions[k]!] as Tensor).storage('a jit call');
      if (storage.kind !== 'device' || storage.backend !== this.backend || isPromise(storage.buffer))
        direct = false;
      else bufs.push(storage.buffer);
    }
    if (!direct) {
      const result = this.runGeneral(source, positions);
      const taken = takeDonated(donation, source, donated);
      const outs = flattenTree(result).leaves.map((t) => t.storage('a jit call'));
      // Pending outputs may still read the donated memory: free it once they settle.
      Promise.all(outs.map((s) => (s.kind === 'device' ? s.buffer : undefined))).then(
        () => releaseDonated(this.backend, taken, []),
        () => releaseDonated(this.backend, taken, []),
      );
      return result;
    }
    const taken = takeDonated(donation, source, donated);
    let outs: DeviceBuffer[] | Promise<DeviceBuffer[]>;
    try {
      outs = exe!.run(bufs, reuseBuffers(donation, bufs));
    } catch (error) {
      releaseDonated(this.backend, taken, []);
      throw error;
    }
    if (isPromise(outs)) {
      outs.then(
        (o) => releaseDonated(this.backend, taken, o),
        () => releaseDonated(this.backend, taken, []),
      );
      return this.wrapPending(outs);
    }
    releaseDonated(this.backend, taken, outs);
    return this.wrap(outs);
  }

  /** Inputs from elsewhere (host, another backend, pending buffers) or a still-compiling executable. */
  private runGeneral(source: readonly unknown[], positions: readonly number[]): unknown {
    const temps: DeviceBuffer[] = [];
    const buffers = positions.map((p) => inputBuffer(this.backend, source[p] as Tensor, temps));
    const freeTemps = () => {
      for (const t of temps) this.backend.free(t);
    };
    const exe = this.executable ?? this.pending!;
    if (!isPromise(exe) && !buffers.some(isPromise)) {
      try {
        const outs = exe.run(buffers as DeviceBuffer[]);
        if (!isPromise(outs)) return this.wrap(outs);
        return this.wrapPending(outs.finally(freeTemps));
      } finally {
        if (this.backend.capabilities.sync) freeTemps();
      }
    }
    const outs = (async () => {
      const [e, bs] = await Promise.all([exe, Promise.all(buffers)]);
      try {
        return await e.run(bs);
      } finally {
        freeTemps();
      }
    })();
    // The caller may dispose an input before the run starts (`y = f(x); x.dispose()`).
    for (const p of positions) (source[p] as Tensor).holdStorageUntil(outs);
    return this.wrapPending(outs);
  }

  private wrap(outs: DeviceBuffer[]): unknown {
    const { outputTypes, outputTree } = this.layout;
    if (this.singleOutput) return outputTensor(this.backend, outputTypes[0]!, outs[0]!);
    return unflattenTree(
      outputTree,
      outs.map((b, i) => outputTensor(this.backend, outputTypes[i]!, b)),
    );
  }

  private wrapPending(outs: Promise<DeviceBuffer[]>): unknown {
    quiet(outs);
    const tensors = this.layout.outputTypes.map((type, i) =>
      outputTensor(this.backend, type, quiet(outs.then((o) => o[i]!))),
    );
    return this.singleOutput ? tensors[0] : unflattenTree(this.layout.outputTree, tensors);
  }

  /** Every stage of this program: IR before/after each pass, kernels, generated code, fusion report. */
  inspect(): JitInspection {
    const sources = this.executable?.sources;
    const tier = this.tiers && { tier: this.tiers.report() };
    if (this.compilation)
      return { ...inspectCompilation(this.layout.signature.key, this.compilation, sources), ...tier };
    const program = printProgram(this.program);
    return {
      signature: this.layout.signature.key,
      backend: this.backend.name,
      pipeline: '',
      traced: '',
      passes: [],
      optimized: '',
      program,
      kernelCount: this.program.kernels.length,
      sources: sources ?? [],
      outputs: {},
      outputTexts: {},
    };
  }

  /** JSON: the kernel program (serializeProgram), the input/output pytree structure and the backend name. */
  export(): string {
    return exportProgram(this.layout, this.program, this.backend.name);
  }

  /** The optimized IR text (for a loaded program, the kernel program). */
  toString(): string {
    return this.compilation ? printGraph(this.compilation.optimized) : printProgram(this.program);
  }

  /** Releases the executable (its planned slots) and drops a pending tier-up. Later runs throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tiers?.cancel();
    this.releaseExecutable();
  }

  private releaseExecutable(): void {
    if (this.executable) this.executable.dispose();
    else
      this.pending?.then(
        (e) => e.dispose(),
        () => {},
      );
  }
}
