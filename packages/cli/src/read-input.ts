import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { deserializeGraph, type Graph, parseGraph } from '@paradox/ir';
import { isReproducer } from '@paradox/pass-manager';
import { InputError } from './errors.js';

export interface LoadedInput {
  graph: Graph;
  /** Set when the file is a pass-manager reproducer: the pipeline that reproduces its failure. */
  reproducerPipeline?: string;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(error)})`,
    );
  }
}

/** An ONNX model imported by @paradox/onnx (loaded only for .onnx files); its typed errors become InputError. */
async function readOnnx(path: string): Promise<LoadedInput> {
  const bytes = readBytes(path);
  const { loadOnnx, OnnxError } = await import('@paradox/onnx');
  try {
    return { graph: loadOnnx(bytes).graph };
  } catch (error) {
    if (error instanceof OnnxError) throw new InputError(`${path}: ${error.name}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads IR from `path`: `.json` is IR JSON, `.pdx` is IR text, `.onnx` an ONNX model (imported),
 * anything else is sniffed (JSON starts with '{'). A reproducer written by the pass manager is IR
 * JSON plus a pipeline. Malformed IR throws the typed error of @paradox/ir (ParseError,
 * SerializationError, ...).
 */
export async function readInput(path: string): Promise<LoadedInput> {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return readOnnx(path);
  const text = readBytes(path).toString('utf8');
  const isJson = ext === '.json' || (ext !== '.pdx' && text.trimStart().startsWith('{'));
  if (!isJson) return { graph: parseGraph(text) };

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined; // let the IR's own reader report malformed JSON with its typed error
  }
  if (isReproducer(doc)) {
    return { graph: deserializeGraph(doc.graph), reproducerPipeline: doc.pipeline };
  }
  return { graph: deserializeGraph(text) };
}
