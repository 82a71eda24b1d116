import { GraphBuilder, interpret, type TypedArray } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createCBackend, MAX_DIRECT_BUFFERS, renderCProgram } from '../src/index.js';

const c = createCBackend({ threads: 2 });

/**
 * `pairs` float32 inputs and `pairs` int32 inputs; per pair a float32 output relu(x * 2 - y) (through
 * temporaries) and a bool output y > x: 4 * pairs buffers or more, of three dtypes.
 */
function wideGraph(pairs: number) {
  const b = new GraphBuilder('wide');
  const xs = Array.from({ length: pairs }, (_, i) =>
    b.input(`x${i}`, { dtype: 'float32', shape: [3 + (i % 5)] }),
  );
  const ys = Array.from({ length: pairs }, (_, i) =>
    b.input(`y${i}`, { dtype: 'int32', shape: [3 + (i % 5)] }),
  );
  const two = b.op('constant', [], { value: 2, dtype: 'float32' });
  const outs = xs.flatMap((x, i) => {
    const y = b.op('cast', [ys[i]!], { dtype: 'float32' });
    return [b.op('relu', [b.op('sub', [b.op('mul', [x, two]), y])]), b.op('gt', [y, x])];
  });
  return b.output(...outs).build();
}

function inputsFor(pairs: number, seed: number): TypedArray[] {
  const len = (i: number) => 3 + (i % 5);
  return [
    ...Array.from({ length: pairs }, (_, i) =>
      Float32Array.from({ length: len(i) }, (_, k) => ((k + i + seed) % 7) - 3.5),
    ),
    ...Array.from({ length: pairs }, (_, i) =>
      Int32Array.from({ length: len(i) }, (_, k) => ((k * 3 + i + seed) % 9) - 4),
    ),
  ];
}

describe.skipIf(c.unavailableReason !== undefined)(
  'backend-c programs with more buffers than koffi has parameters',
  () => {
    // koffi calls functions of at most 64 parameters; such a program used to compile and then fail to load
    // (CLoadError), which the differential fuzz campaign's 50-program batches met every time.
    it('take their buffers as one pointer array and match the interpreter, run after run', async () => {
      const pairs = 20;
      const graph = wideGraph(pairs);
      const program = lowerGraph(graph);
      expect(program.buffers.length).toBeGreaterThan(MAX_DIRECT_BUFFERS);
      expect(renderCProgram(program).source).toContain('void px_run(int threads, void** b) {');
      for (const exe of [c.compile(program), await c.compileAsync(program)]) {
        for (const seed of [0, 1]) {
          const inputs = inputsFor(pairs, seed);
          const buffers = inputs.map((data) => {
            const buf = c.allocate(data instanceof Float32Array ? 'float32' : 'int32', data.length);
            c.upload(buf, data);
            return buf;
          });
          const got = exe.run(buffers).map((o) => Array.from(c.download(o)));
          const want = interpret(graph, inputs).map((t) => Array.from(t.data));
          expect(got).toEqual(want);
        }
        exe.dispose();
      }
    });

    it('up to the limit keep one parameter per buffer', () => {
      const b = new GraphBuilder('narrow');
      const x = b.input('x', { dtype: 'float32', shape: [4] });
      const program = lowerGraph(b.output(b.op('neg', [x])).build());
      expect(renderCProgram(program).source).toContain('void px_run(int threads, void* b0, void* b1) {');
    });
  },
);
