import type { CpuContention } from './cpu-contention.js';
import type { Check, Summary } from './stats.js';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4a' | 'W4b' | 'W5' | 'W6' | 'W7';

/** One step of the chained-elementwise graphs used by W3 (200 ops) and W5 (1,000 ops). */
export type ChainOp =
  | { op: 'mul' | 'add' | 'sub'; c: number }
  | { op: 'tanh' | 'sigmoid' | 'relu' | 'neg' | 'abs' };

/** Which machine limit a workload's figure is compared with. */
export type LimitKind = 'bandwidth' | 'fma' | 'none';

export interface Workload {
  id: WorkloadId;
  /** Short name, e.g. 'elementwise chain'. */
  name: string;
  /** One line: what is computed, on what sizes. */
  description: string;
  /** 'run': time repeated executions; 'compile': time trace+optimize+codegen of fresh graphs (W5). */
  kind: 'run' | 'compile';
  inputs: { name: string; shape: number[] }[];
  outputShape: number[];
  /** The op chain (W3; for W5 the warm-cache graph). */
  chain?: ChainOp[];
  /** W5: a different graph of the same size for each cold-cache sample. */
  chainVariant?(k: number): ChainOp[];
  /** Deterministic inputs. */
  makeInputs(): Float32Array[];
  /** Ground truth in float64, computed independently of every contender. */
  reference(inputs: Float32Array[], chain?: ChainOp[]): Float64Array;
  tolerance: { atol: number; rtol: number };
  /** Least bytes a run must move through memory (inputs read once + outputs written once). */
  bytes: number;
  /** Useful floating-point operations per run (multiply-add = 2). */
  flops: number;
  limit: LimitKind;
  /** Divide the time of one run by this to print the figure (W3: time per op). */
  perRun: number;
  /** Unit suffix of the printed figure, e.g. '/op'. */
  figureSuffix?: string;
}

/** A prepared contender on one workload. */
export interface Session {
  /** One warm run on the inputs bound at setup; the result ends up readable on the host. */
  run(): void | Promise<void>;
  /** Host copy (or view) of the last run's result. */
  result(): Float32Array | Promise<Float32Array>;
  /** One cold run: fresh host inputs, converted/uploaded, run, read back; nothing reused from earlier runs. */
  runFresh(inputs: Float32Array[]): void | Promise<void>;
  /** Optional facts for the row's note (e.g. the compiled program's kernel count). */
  note?(): string;
  dispose(): void | Promise<void>;
}

export type ContenderGroup = 'paradox' | 'reference' | 'peer';

/** One row of the table: a small adapter around a library (or a hand-written loop). */
/** A compile() that times one stage itself: the result, and the stage's milliseconds. */
export interface CompileTiming {
  result: Float32Array;
  ms: number;
}

export interface Contender {
  /** Stable id used on the command line and in JSON, e.g. 'tfjs-wasm'. */
  id: string;
  /** Printed name, e.g. 'tfjs (wasm)'. */
  label: string;
  group: ContenderGroup;
  /** Threads it computes with; selects which machine limit applies. */
  threads: number;
  /** True for the row every ratio is taken against. */
  baseline?: boolean;
  /** Left out of --quick runs unless named with --contenders (e.g. Paradox on a software GPU). */
  fullOnly?: boolean;
  /** Load the library (dynamic import). Throwing marks the row 'not available: <error>'. */
  load(): Promise<void>;
  /** A reason when this contender has no implementation of the workload. */
  unsupported?(w: Workload): string | undefined;
  /** Build whatever the workload needs (tensors, sessions, compiled programs). */
  setup?(w: Workload, inputs: Float32Array[]): Promise<Session>;
  /**
   * W5: trace + optimize + codegen `ops` as one graph on an input shaped like `x`, run it once, return the
   * result. A row that times only one stage of that returns `{ result, ms }`: `ms` is its figure.
   */
  compile?(w: Workload, ops: ChainOp[], x: Float32Array): Promise<Float32Array | CompileTiming>;
  /**
   * W5, untimed, after each compile(): wait for work the compile left running in the background (a
   * better tier), so it does not overlap the next sample; throws if that work's result is wrong.
   */
  settle?(): Promise<void>;
  /** Free anything load() acquired. */
  close?(): void | Promise<void>;
}

export type CellStatus = 'ok' | 'unavailable' | 'unsupported' | 'wrong' | 'error';

export interface CellResult {
  workload: WorkloadId;
  contender: string;
  label: string;
  group: ContenderGroup;
  threads: number;
  status: CellStatus;
  /** Why the row has no figures. */
  message?: string;
  check?: Check;
  /** Milliseconds per run (W5: per compile with warm cache). */
  warm?: Summary;
  /** Milliseconds per run with fresh buffers (W5: per compile of a never-seen graph). */
  cold?: Summary;
  /** W5: the very first compile in the process (the compiler's own code still cold in V8). */
  firstMs?: number;
  /** Something to know about the figures (e.g. fewer samples because a run passed the time cap). */
  note?: string;
  /** Wall time the whole cell took (setup, check, warm-up, samples), seconds. */
  wallS?: number;
  /** Runs timed together per sample (short runs are batched to beat timer resolution). */
  batch?: number;
  /** warm/cold median divided by the baseline's (>1: slower than Paradox jit). */
  ratioWarm?: number;
  ratioCold?: number;
  /** Achieved bandwidth or flop rate of the warm median, as a fraction of the machine limit. */
  fractionOfLimit?: number;
  /** Achieved rate of the warm median: GB/s or GFLOP/s. */
  achieved?: number;
}

export interface Probe {
  id: string;
  name: string;
  /** GB/s or GFLOP/s; undefined when the probe could not run. */
  value?: number;
  unit: 'GB/s' | 'GFLOP/s';
  threads: number;
  detail: string;
  error?: string;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  compiler?: string;
  /** Other work on the machine during the run (it skews every figure); see cpu-contention.ts. */
  contention?: CpuContention;
}

export interface BenchResults {
  version: 1;
  startedAt: string;
  durationS: number;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  limits: Probe[];
  baseline: string;
  workloads: {
    id: WorkloadId;
    name: string;
    description: string;
    bytes: number;
    flops: number;
    limit: LimitKind;
    perRun: number;
    figureSuffix?: string;
  }[];
  cells: CellResult[];
}
