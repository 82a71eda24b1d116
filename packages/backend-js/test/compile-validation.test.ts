import { BackendError } from '@paradox/backend';
import { createJsBackend } from '@paradox/backend-js';
import { GraphBuilder, IrError, type KernelProgram, numel, VerifyError } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';

/** softmax(x @ w) over rows, padded: reductions, a contraction, guards and a phase-'reduction' store. */
function lowered(): KernelProgram {
  const b = new GraphBuilder('g');
  const x = b.input('x', { dtype: 'float32', shape: [3, 4] });
  const w = b.input('w', { dtype: 'float32', shape: [4, 5] });
  const y = b.op('pad', [b.op('matmul', [x, w])], {
    pads: [
      [0, 0],
      [1, 1],
    ],
    value: 0,
  });
  const m = b.op('max', [y], { axes: [1], keepdims: true });
  const e = b.op('exp', [b.op('sub', [y, m])]);
  const s = b.op('sum', [e], { axes: [1], keepdims: true });
  return lowerGraph(b.output(b.op('div', [e, s])).build());
}

const HOSTILE: unknown[] = [null, undefined, NaN, -Infinity, -1, 0.5, 2 ** 40, 'x', {}, [], [0]];

describe('compile() validates its program (#18 item 8)', () => {
  it('every hostile value of every field gives a typed error or a program that runs', () => {
    // before: TypeError/RangeError from the renderer for most of these
    const js = createJsBackend();
    const paths: string[][] = [];
    const collect = (v: unknown, path: string[]) => {
      paths.push(path);
      if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v))
        for (const [key, child] of Object.entries(v)) collect(child, [...path, key]);
    };
    collect(lowered(), []);
    const untyped: string[] = [];
    let rejected = 0;
    for (const path of paths.slice(1)) {
      for (const value of HOSTILE) {
        const p: any = lowered();
        let parent = p;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path[path.length - 1]!] = value;
        try {
          const exe = js.compile(p);
          // A valid program may still loop 2^40 times (an unused domain axis): only small ones run.
          const iterations = exe.program.kernels.map((k) => numel(k.domain) * numel(k.reduce?.shape ?? []));
          if (iterations.some((n) => n > 1e6)) continue;
          const inputs = exe.program.inputs.map((id) => {
            const d = exe.program.buffers.find((b) => b.id === id)!;
            return js.allocate(d.dtype, d.size);
          });
          exe.run(inputs);
        } catch (e) {
          if (e instanceof IrError || e instanceof BackendError) rejected++;
          else untyped.push(`${path.join('.')} = ${String(value)}: ${String(e)}`);
        }
      }
    }
    expect(untyped).toEqual([]);
    expect(rejected).toBeGreaterThan(500);
  });

  it('rejects an out-of-range store before rendering', () => {
    const p = lowered();
    const k = p.kernels[p.kernels.length - 1]!;
    k.stores[0]!.index = {
      k: 'add',
      a: { k: 'mod', a: k.stores[0]!.index, c: 1000 },
      b: { k: 'const', v: 2 ** 20 },
    };
    expect(() => createJsBackend().compile(p)).toThrow(VerifyError);
    expect(() => createJsBackend().compile(p)).toThrow(/store index ranges over \[1048576, /);
  });
});
