import { GraphBuilder, type TypedArray, type ValueId } from '@paradox/ir';
import { fusionPass } from '@paradox/pass-fusion';
import { silentLogger } from '@paradox/pass-manager';
import { type ConformanceCase, DTYPES, fuse, make, specialsFor } from './case-builder.js';
import { FLOAT_SPECIALS, makeData } from './data.js';

/** Indices with negatives (count from the end) and out-of-range values (clamped), see resolveIndex. */
const INDICES = Int32Array.from([0, 4, -1, -5, 7, -9, 2, 1, 3, 2147483647, -2147483648, 0]);
const indices = (n: number) => INDICES.slice(0, n);

/** op set v2: gather, scatterAdd, argmin, erf (lowered to dynamic loads, a sum reduction, argmax, a formula). */
export function indexingCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const d of DTYPES) {
    const table = makeData(d, [5, 3], 3, { specials: specialsFor(d) });
    out.push(
      make(`gather/${d}/axis0`, (b, x) => [
        b.op('gather', [x(d, [5, 3], table), x('int32', [3, 4], indices(12))], { axis: 0 }),
      ]),
    );
  }
  out.push(
    make('gather/axis1-rank3', (b, x) => [
      b.op('gather', [x('float32', [2, 5, 3]), x('int32', [6], indices(6))], { axis: 1 }),
    ]),
    make('gather/scalar-index/axis-1', (b, x) => [
      b.op('gather', [x('float32', [4, 5]), x('int32', [], Int32Array.from([-2]))], { axis: -1 }),
    ]),
    make('gather/table-through-views', (b, x) => {
      const t = b.op('transpose', [x('float32', [3, 5])], { perm: [1, 0] });
      const i = b.op('sub', [
        x('int32', [7], indices(7)),
        b.op('full', [], { value: 1, shape: [], dtype: 'int32' }),
      ]);
      return [b.op('gather', [t, i], { axis: 0 })];
    }),
    // A gather fused with its index computation and its consumer by hand (one kernel).
    make('gather/hand-fused', (b, x) => {
      const i = b.op('add', [
        x('int32', [2, 4], indices(8)),
        b.op('full', [], { value: 1, shape: [], dtype: 'int32' }),
      ]);
      const g = b.op('gather', [x('float32', [5, 3]), i], { axis: 0 });
      return [b.op('mul', [g, g])];
    }),
    fused(
      'gather/after-fusion',
      (b) => {
        const w = b.op('exp', [b.input('w', { dtype: 'float32', shape: [6, 4] })]);
        const i = b.input('i', { dtype: 'int32', shape: [5] });
        return [b.op('relu', [b.op('gather', [w, i], { axis: 0 })])];
      },
      [makeData('float32', [6, 4], 1), indices(5)],
    ),
  );
  const handFused = out.find((c) => c.name === 'gather/hand-fused')!;
  const ids = handFused.graph.nodes.map((n) => n.id);
  fuse(handFused.graph, ids, 1);

  for (const d of ['float32', 'int32'] as const) {
    out.push(
      make(`scatterAdd/${d}/axis0`, (b, x) => [
        b.op('scatterAdd', [x(d, [5, 3]), x('int32', [3, 4], indices(12)), x(d, [3, 4, 3])], { axis: 0 }),
      ]),
    );
  }
  out.push(
    make('scatterAdd/axis1-scalar-index', (b, x) => [
      b.op('scatterAdd', [x('float32', [2, 4]), x('int32', [], Int32Array.from([-1])), x('float32', [2])], {
        axis: 1,
      }),
    ]),
    fused(
      'scatterAdd/after-fusion',
      (b) => {
        const base = b.op('neg', [b.input('x', { dtype: 'float32', shape: [4, 2] })]);
        const u = b.op('exp', [b.input('u', { dtype: 'float32', shape: [6, 2] })]);
        const i = b.input('i', { dtype: 'int32', shape: [6] });
        return [b.op('sqrt', [b.op('abs', [b.op('scatterAdd', [base, i, u], { axis: 0 })])])];
      },
      [makeData('float32', [4, 2], 2), makeData('float32', [6, 2], 3), indices(6)],
    ),
  );

  for (const d of DTYPES) {
    out.push(
      make(`argmin/${d}`, (b, x) => {
        const shape = [3, 4, 5];
        const specials = d === 'float32' ? [1, NaN, 1, NaN, Infinity, -Infinity, -0, 0] : specialsFor(d);
        const v = x(d, shape, makeData(d, shape, 4, { scale: 3, specials }));
        return [0, 1, 2, -1].flatMap((axis) =>
          [true, false].map((keepdims) => b.op('argmin', [v], { axis, keepdims })),
        );
      }),
    );
  }
  const erfData = makeData('float32', [4, 40], 5, {
    scale: 5,
    specials: [...FLOAT_SPECIALS, 3.9, 4, 4.1, -3.99, 1e-8],
  });
  out.push(make('erf/float32', (b, x) => [b.op('erf', [x('float32', [4, 40], erfData)])]));
  return out;
}

/** A case whose graph went through the fusion pass (so fusion's rules for opaque ops are exercised). */
function fused(name: string, build: (b: GraphBuilder) => ValueId[], inputs: TypedArray[]): ConformanceCase {
  const b = new GraphBuilder('conformance');
  const graph = b.output(...build(b)).build();
  const ctx = { options: {}, logger: silentLogger, outputs: {} };
  return { name, graph: fusionPass.run(graph, ctx).graph, inputs };
}
