import { GraphBuilder } from '../builder.js';
import type { DType } from '../dtype.js';
import { IrError } from '../errors.js';
import type { Attrs, Graph, TensorType, ValueId } from '../graph.js';
import type { HostTensor } from '../interpreter-types.js';
import { generatorStep } from './generator-ops.js';
import { inputMagnitude, inputTensor } from './generator-values.js';
import { SeededRandom } from './seeded-random.js';

/**
 * A random-program generator written apart from random-graph.ts (issue #18 item 10: bugs hide
 * where one generator's habits never reach). It drives GraphBuilder from a seed instead of
 * fast-check, so a fuzz campaign can put thousands of programs into one batch graph and replay any
 * one of them from its printed seed. It reaches what the other does not: pad values NaN/-Inf/-0,
 * negative-step slices, concat, broadcasts both ways, reductions over broadcasts next to matmuls,
 * mod and div by (signed) zero, int32 overflow, size-0 dimensions under guarded loads, and long
 * elementwise chains.
 *
 * Every value remembers whether backends must reproduce it bit for bit (`exact`): ops whose float
 * result may differ in the last bits across backends (transcendentals, division, float sums in any
 * order, matmul) make it inexact, and inexact values never feed ops that would amplify a rounding
 * difference (comparisons, floor, mod, casts to int, add/sub, argmax). `mag` bounds finite
 * magnitudes so transcendentals stay where every backend is accurate.
 */
export interface GraphGeneratorOptions {
  /** Nodes per program (about; motifs add a few). Default 10. */
  steps?: number;
  /** Most inputs per program. Default 3. */
  maxInputs?: number;
  /** Largest input rank. Default 3. */
  maxRank?: number;
  /** Largest dimension. Default 5. */
  maxDim?: number;
  /** Chance that a new dimension is 0. Default 0.04. */
  emptyDims?: number;
  /** Chance that a float input element is NaN, +-Infinity or +-0. Default 0.12. */
  specials?: number;
  /** Chance that a program is one long elementwise chain (60..400 ops). Default 0.01. */
  longChains?: number;
  /** Chance that a step is one of the motifs that found bugs before. Default 0.2. */
  motifs?: number;
}

export type ResolvedGeneratorOptions = Required<GraphGeneratorOptions>;

const DEFAULTS: ResolvedGeneratorOptions = {
  steps: 10,
  maxInputs: 3,
  maxRank: 3,
  maxDim: 5,
  emptyDims: 0.04,
  specials: 0.12,
  longChains: 0.01,
  motifs: 0.2,
};

/** A value of the program being written, with what the generator knows about it. */
export interface GeneratedValue {
  id: ValueId;
  type: TensorType;
  /** Every backend must produce exactly the reference's bits (NaN payloads aside). */
  exact: boolean;
  /** Bound on the magnitude of its finite float elements (Infinity: unknown). */
  mag: number;
}

export interface GeneratedCase {
  seed: number;
  graph: Graph;
  inputs: HostTensor[];
  /** Per graph output: must match the reference bit for bit (else within a float tolerance). */
  exactOutputs: boolean[];
}

/** Many programs in one graph (disjoint inputs and nodes), so a backend compiles them at once. */
export interface GeneratedBatch {
  graph: Graph;
  inputs: HostTensor[];
  exactOutputs: boolean[];
  /** Which graph outputs belong to which program; `generateGraphCase(part.seed)` replays one alone. */
  parts: { seed: number; outputs: number[] }[];
}

/** Writes one program into a (possibly shared) GraphBuilder. */
export class ProgramWriter {
  readonly values: GeneratedValue[] = [];
  readonly inputs: HostTensor[] = [];
  readonly inputIds = new Set<ValueId>();
  private inputCount = 0;

  constructor(
    readonly rng: SeededRandom,
    private readonly builder: GraphBuilder,
    readonly options: ResolvedGeneratorOptions,
    private readonly prefix: string,
  ) {}

  get canAddInput(): boolean {
    return this.inputCount < this.options.maxInputs;
  }

  randomShape(rank = this.rng.chance(0.1) ? 0 : this.rng.int(1, this.options.maxRank)): number[] {
    return Array.from({ length: rank }, () =>
      this.rng.chance(this.options.emptyDims) ? 0 : this.rng.int(1, this.options.maxDim),
    );
  }

  input(dtype: DType, shape: number[]): GeneratedValue {
    const id = this.builder.input(`${this.prefix}x${this.inputCount++}`, { dtype, shape });
    this.inputIds.add(id);
    const tensor = inputTensor(this.rng, dtype, shape, this.options.specials);
    this.inputs.push(tensor);
    return this.remember({
      id,
      type: { dtype, shape: [...shape] },
      exact: true,
      mag: inputMagnitude(tensor.data),
    });
  }

  /** Adds a node, or returns undefined when the registry rejects it (the step is then retried). */
  node(
    op: string,
    operands: GeneratedValue[],
    attrs: Attrs,
    exact: boolean,
    mag: number,
  ): GeneratedValue | undefined {
    let id: ValueId;
    try {
      id = this.builder.op(
        op,
        operands.map((v) => v.id),
        attrs,
      );
    } catch (e) {
      if (e instanceof IrError) return undefined;
      throw e;
    }
    const type = this.builder.typeOf(id);
    // Inf * 0 bounds (a value of unknown size times zero) are unknown, not NaN.
    if (Number.isNaN(mag)) mag = Infinity;
    const inexact = !exact || operands.some((v) => !v.exact && v.type.dtype !== 'bool');
    return this.remember({ id, type, exact: !inexact || type.dtype !== 'float32', mag });
  }

  pick(filter: (v: GeneratedValue) => boolean = () => true): GeneratedValue | undefined {
    const ok = this.values.filter(filter);
    if (ok.length === 0) return undefined;
    // Favor recent values so programs grow deep rather than wide.
    return this.rng.chance(0.6)
      ? ok[ok.length - 1 - this.rng.int(0, Math.min(2, ok.length - 1))]
      : this.rng.pick(ok);
  }

  private remember(v: GeneratedValue): GeneratedValue {
    this.values.push(v);
    return v;
  }
}

function resolve(options: GraphGeneratorOptions): ResolvedGeneratorOptions {
  return { ...DEFAULTS, ...options };
}

/** Writes one program (inputs, nodes, 1-2 outputs) and returns its output values. */
function writeProgram(writer: ProgramWriter): GeneratedValue[] {
  const { rng, options } = writer;
  writer.input(rng.pick(['float32', 'float32', 'float32', 'int32', 'bool'] as const), writer.randomShape());
  const steps = rng.chance(options.longChains) ? rng.int(60, 400) : options.steps;
  const longChain = steps > options.steps;
  for (let made = 0, tries = 0; made < steps && tries < steps * 6; tries++) {
    const before = writer.values.length;
    generatorStep(writer, longChain);
    made += writer.values.length - before;
  }
  const nodes = writer.values.filter((v) => !writer.inputIds.has(v.id));
  const outputs = nodes.length > 0 ? [nodes[nodes.length - 1]!] : [writer.values[0]!];
  if (nodes.length > 2 && rng.chance(0.5)) outputs.push(rng.pick(nodes.slice(0, -1)));
  return outputs;
}

/** One random program from `seed`. */
export function generateGraphCase(seed: number, options: GraphGeneratorOptions = {}): GeneratedCase {
  const builder = new GraphBuilder(`gen${seed >>> 0}`);
  const writer = new ProgramWriter(new SeededRandom(seed), builder, resolve(options), '');
  const outputs = writeProgram(writer);
  builder.output(...outputs.map((v) => v.id));
  return { seed, graph: builder.build(), inputs: writer.inputs, exactOutputs: outputs.map((v) => v.exact) };
}

/** `count` random programs in one graph; program k's seed comes from `seed` (see `parts`). */
export function generateGraphBatch(
  seed: number,
  count: number,
  options: GraphGeneratorOptions = {},
): GeneratedBatch {
  const rng = new SeededRandom(seed);
  return generateGraphBatchOf(
    Array.from({ length: count }, () => rng.next()),
    options,
  );
}

/** The programs of these seeds in one graph (a failing batch is split by its parts' seeds). */
export function generateGraphBatchOf(
  seeds: readonly number[],
  options: GraphGeneratorOptions = {},
): GeneratedBatch {
  const resolved = resolve(options);
  const builder = new GraphBuilder(`batch${seeds[0] ?? 0}`);
  const inputs: HostTensor[] = [];
  const exactOutputs: boolean[] = [];
  const parts: GeneratedBatch['parts'] = [];
  const outputIds: ValueId[] = [];
  seeds.forEach((partSeed, k) => {
    const writer = new ProgramWriter(new SeededRandom(partSeed), builder, resolved, `p${k}_`);
    const outputs = writeProgram(writer);
    inputs.push(...writer.inputs);
    parts.push({ seed: partSeed, outputs: outputs.map((_, i) => outputIds.length + i) });
    outputIds.push(...outputs.map((v) => v.id));
    exactOutputs.push(...outputs.map((v) => v.exact));
  });
  builder.output(...outputIds);
  return { graph: builder.build(), inputs, exactOutputs, parts };
}
