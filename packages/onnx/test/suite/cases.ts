import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTensor, type OnnxTensor } from '../../src/index.js';

/** Debian's libonnx-testdata (ONNX 1.12's backend test data). */
export const TESTDATA_ROOT = '/usr/share/libonnx-testdata/data';
export const SUITES = ['node', 'simple', 'pytorch-converted', 'pytorch-operator'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface CaseRef {
  suite: SuiteName;
  name: string;
  dir: string;
}

export interface DataSet {
  inputs: OnnxTensor[];
  outputs: OnnxTensor[];
}

export const testDataPresent = (): boolean => existsSync(join(TESTDATA_ROOT, 'node'));

/** Every test directory, suite by suite, sorted by name. */
export function listCases(): CaseRef[] {
  return SUITES.flatMap((suite) => {
    const root = join(TESTDATA_ROOT, suite);
    return readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'model.onnx')))
      .sort()
      .map((name) => ({ suite, name, dir: join(root, name) }));
  });
}

export const caseKey = (c: CaseRef): string => `${c.suite}/${c.name}`;

const numbered = (dir: string, prefix: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)));

/** The data sets of a case (input_k.pb / output_k.pb as TensorProtos). */
export function readDataSets(c: CaseRef): DataSet[] {
  return readdirSync(c.dir)
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((d) => {
      const dir = join(c.dir, d);
      const read = (f: string) => decodeTensor(readFileSync(join(dir, f)), `${caseKey(c)}/${d}/${f}`);
      return { inputs: numbered(dir, 'input_').map(read), outputs: numbered(dir, 'output_').map(read) };
    });
}
