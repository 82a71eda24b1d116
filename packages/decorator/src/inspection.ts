import { type Graph, printGraph, printProgram } from '@paradox/ir';
import { formatPassOutputs, type PassOutputs } from '@paradox/pass-manager';
import type { Compilation } from './compile.js';
import type { TierReport } from './tiers.js';

/** One pass run, as IR text before and after. */
export interface PassDump {
  pass: string;
  changed: boolean;
  ms: number;
  before: string;
  after: string;
}

/** What inspect() returns: every stage of one compiled signature. */
export interface JitInspection {
  /** The signature's cache key. */
  signature: string;
  backend: string;
  /** The pipeline that ran, named pipelines expanded. */
  pipeline: string;
  /** IR as traced. */
  traced: string;
  /** IR before and after each pass run, in order (fixpoint groups repeat passes). */
  passes: PassDump[];
  /** IR after the pipeline (with fusion groups). */
  optimized: string;
  /** The kernel program (printProgram). */
  program: string;
  kernelCount: number;
  /** Generated source per kernel (Executable.sources); empty while an async backend is still compiling. */
  sources: string[];
  /** What the passes reported, by key (`fusionReport`, or a third-party pass's output). */
  outputs: Partial<PassOutputs>;
  /** Each output that its pass package registered a formatter for, as text, by key. */
  outputTexts: Record<string, string>;
  fusionReport?: PassOutputs['fusionReport'];
  /** The fusion report as text (outputTexts.fusionReport). */
  fusionReportText?: string;
  /** With tiers: which tier serves and ran last, each tier's compile time, failures. The other fields describe the serving tier. */
  tier?: TierReport;
}

const text = (g: Graph): string => printGraph(g);

export function inspectCompilation(
  signature: string,
  c: Compilation,
  sources: string[] | undefined,
): JitInspection {
  const outputTexts = formatPassOutputs(c.outputs, c.optimized);
  return {
    signature,
    backend: c.backend.name,
    pipeline: c.pipeline,
    traced: text(c.traced),
    passes: c.passes.map((p) => ({
      pass: p.pass,
      changed: p.changed,
      ms: p.ms,
      before: text(p.before),
      after: text(p.after),
    })),
    optimized: text(c.optimized),
    program: printProgram(c.program),
    kernelCount: c.program.kernels.length,
    sources: sources ?? [],
    outputs: c.outputs,
    outputTexts,
    ...(c.outputs.fusionReport
      ? { fusionReport: c.outputs.fusionReport, fusionReportText: outputTexts.fusionReport }
      : {}),
  };
}
