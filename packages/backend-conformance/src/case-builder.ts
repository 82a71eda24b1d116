import {
  type DType,
  type Graph,
  GraphBuilder,
  inferNodeType,
  type TypedArray,
  type ValueId,
} from '@paradox/ir';
import type { Tolerance } from './compare.js';
import { FLOAT_SPECIALS, INT_SPECIALS, makeData } from './data.js';

/** One program of the suite: a graph (hand-grouped where a case tests fusion shapes) and its inputs. */
export interface ConformanceCase {
  /** 'area/what' — stable, used in test names and skip patterns. */
  name: string;
  graph: Graph;
  inputs: TypedArray[];
  /** Check the sign of zero results too. */
  zeroSign?: boolean;
  /** Inputs hold float32 subnormals: checked per the backend's `numerics.flushesSubnormals`. */
  subnormals?: boolean;
  tolerance?: Partial<Tolerance>;
}

export type Build = (
  b: GraphBuilder,
  input: (dtype: DType, shape: number[], data?: TypedArray) => ValueId,
) => ValueId[];

/** Builds a case: `input` declares x0, x1, ... with deterministic data (or the given data). */
export function make(name: string, build: Build, extra: Partial<ConformanceCase> = {}): ConformanceCase {
  const b = new GraphBuilder('conformance');
  const inputs: TypedArray[] = [];
  const outputs = build(b, (dtype, shape, data) => {
    const id = b.input(`x${inputs.length}`, { dtype, shape });
    inputs.push(data ?? makeData(dtype, shape, 17 * inputs.length + name.length));
    return id;
  });
  return { name, graph: b.output(...outputs).build(), inputs, ...extra };
}

/** Puts nodes into one fusion group, so lowering emits one kernel for them. */
export function fuse(graph: Graph, ids: ValueId[], group: number): Graph {
  for (const n of graph.nodes) if (ids.includes(n.id)) n.group = group;
  return graph;
}

export const accepts = (op: string, dtypes: DType[], attrs = {}): boolean => {
  try {
    inferNodeType(
      op,
      dtypes.map((dtype) => ({ dtype, shape: [2] })),
      attrs,
    );
    return true;
  } catch {
    return false;
  }
};

export const DTYPES: DType[] = ['float32', 'int32', 'bool'];
export const specialsFor = (d: DType) =>
  d === 'float32' ? FLOAT_SPECIALS : d === 'int32' ? INT_SPECIALS : [0, 1, 1, 0];
