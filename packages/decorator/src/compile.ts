import { type Backend, checkProgramSupported, type Executable, getBackend } from '@paradox/backend';
import { decomposeOps, type Graph, type KernelProgram } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { PassManager, type PassOutputs, parsePipeline } from '@paradox/pass-manager';
import { type CompileOptions, pipelineText } from './options.js';
import { type PassRecord, passRecorder } from './pass-recorder.js';
import { checkGraphSupported } from './support-check.js';
import './pipeline.js';

/** Everything compiling one graph produced; inspect() reads it. */
export interface Compilation {
  readonly backend: Backend;
  /** The pipeline with named pipelines expanded ('' when no passes ran). */
  readonly pipeline: string;
  readonly traced: Graph;
  readonly optimized: Graph;
  readonly passes: readonly PassRecord[];
  /** What the passes reported (e.g. `fusionReport`), by key. */
  readonly outputs: Partial<PassOutputs>;
  readonly program: KernelProgram;
  readonly executable: Executable | Promise<Executable>;
}

/**
 * `background`: compile with `backend.compileAsync` where the backend has it.
 * Graph -> optimized graph -> kernel program -> executable on the chosen backend. The backend's
 * capabilities go into the pipeline context (fusion respects `maxBuffersPerKernel`, layout reads the
 * layout preferences); unsupported ops or dtypes throw UnsupportedOpError / UnsupportedDtypeError.
 */
export function compileGraph(graph: Graph, options: CompileOptions = {}, background = false): Compilation {
  const backend = getBackend(options.backend);
  const text = pipelineText(options.pipeline);
  const recorder = passRecorder();
  // Ops registered outside @paradox/ir become the ops they are defined by, before any pass runs.
  let optimized = decomposeOps(graph);
  let pipeline = '';
  let outputs: Partial<PassOutputs> = {};
  if (text.trim() !== '' && parsePipeline(text).length > 0) {
    const manager = new PassManager(text, {
      capabilities: backend.capabilities,
      verify: options.verify ?? false,
      skipRepeatedRuns: true,
      ...(options.passOptions ? { passOptions: options.passOptions } : {}),
      ...(options.insert ? { insert: options.insert } : {}),
      instrumentations: [recorder.instrumentation],
    });
    const result = manager.run(optimized);
    optimized = result.graph;
    pipeline = manager.expanded;
    outputs = result.outputs;
  }
  checkGraphSupported(optimized, backend);
  const program = lowerGraph(optimized);
  checkProgramSupported(backend, program);
  // A background compile (a jit tier) uses the backend's non-blocking path when it has one.
  const executable =
    background && backend.compileAsync ? backend.compileAsync(program) : backend.compile(program);
  if (executable instanceof Promise) executable.catch(() => {}); // reported by the outputs' data()
  return {
    backend,
    pipeline,
    traced: graph,
    optimized,
    passes: recorder.records,
    outputs,
    program,
    executable,
  };
}
