import { describe, expect, it } from 'vitest';
import {
  donatableOutputs,
  type IndexExpr,
  IR_VERSION,
  type Kernel,
  type KernelProgram,
  loadsStoredBuffer,
} from '../src/index.js';

const ax = (axis: number): IndexExpr => ({ k: 'axis', axis });
const add = (a: IndexExpr, b: IndexExpr): IndexExpr => ({ k: 'add', a, b });
const mul = (a: IndexExpr, c: number): IndexExpr => ({ k: 'mul', a, c });
const rowMajor = add(mul(ax(0), 3), ax(1));
const transposed = add(mul(ax(1), 2), ax(0));

/** Inputs b0, b1 (f32[2,3]), output b2 (f32[6]) written by `kernels`. */
function program(kernels: Kernel[], extra: KernelProgram['buffers'] = []): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: 6, kind: 'input' },
      { id: 1, dtype: 'float32', size: 6, kind: 'input' },
      { id: 2, dtype: 'float32', size: 6, kind: 'output' },
      ...extra,
    ],
    kernels,
    inputs: [0, 1],
    outputs: [2],
    outputShapes: [[2, 3]],
    inputShapes: [
      [2, 3],
      [2, 3],
    ],
    slots: [],
    constants: [],
  };
}

/** out[p] = in0[load] + in1[p], stored at `store`. */
const addKernel = (load: IndexExpr, store: IndexExpr, domain = [2, 3]): Kernel => ({
  name: 'k0',
  kind: 'elementwise',
  domain,
  exprs: [
    { op: 'load', dtype: 'float32', buffer: 0, index: load },
    { op: 'load', dtype: 'float32', buffer: 1, index: rowMajor },
    { op: 'binary', fn: 'add', dtype: 'float32', a: 0, b: 1 },
  ],
  stores: [{ buffer: 2, index: store, value: 2 }],
});

describe('donatableOutputs', () => {
  it('pairs an elementwise update with the input it reads at the stored element', () => {
    expect(donatableOutputs(program([addKernel(rowMajor, rowMajor)]), [0])).toEqual(new Map([[0, 0]]));
    // Either input qualifies; only donated ones are considered, and each input serves one output.
    expect(donatableOutputs(program([addKernel(rowMajor, rowMajor)]), [1])).toEqual(new Map([[0, 1]]));
  });

  it('refuses a read of another element (a transpose would read what it already overwrote)', () => {
    const k = addKernel(transposed, rowMajor);
    expect(donatableOutputs(program([k]), [0])).toEqual(new Map());
    // The other input is still read at the stored element.
    expect(donatableOutputs(program([k]), [0, 1])).toEqual(new Map([[0, 1]]));
  });

  it('refuses an input read through a dynamic (gather) term, even at the stored index', () => {
    const k = addKernel(rowMajor, rowMajor);
    const idx: Kernel['exprs'][number] = { op: 'load', dtype: 'int32', buffer: 3, index: ax(0) };
    const gathered: Kernel = {
      ...k,
      exprs: [
        idx,
        {
          op: 'load',
          dtype: 'float32',
          buffer: 0,
          index: rowMajor,
          dynamic: { value: 0, extent: 1, stride: 3 },
        },
        { op: 'load', dtype: 'float32', buffer: 1, index: rowMajor },
        { op: 'binary', fn: 'add', dtype: 'float32', a: 1, b: 2 },
      ],
      stores: [{ buffer: 2, index: rowMajor, value: 3 }],
    };
    const extra = [{ id: 3, dtype: 'int32' as const, size: 2, kind: 'const' as const }];
    expect(donatableOutputs(program([gathered], extra), [0])).toEqual(new Map());
    expect(donatableOutputs(program([gathered], extra), [1])).toEqual(new Map([[0, 1]]));
  });

  it('refuses an input read by a later kernel, or a store that does not cover the output one to one', () => {
    const later: Kernel = {
      name: 'k1',
      kind: 'elementwise',
      domain: [6],
      exprs: [{ op: 'load', dtype: 'float32', buffer: 0, index: ax(0) }],
      stores: [{ buffer: 3, index: ax(0), value: 0 }],
    };
    const extra = [{ id: 3, dtype: 'float32' as const, size: 6, kind: 'temp' as const }];
    expect(donatableOutputs(program([addKernel(rowMajor, rowMajor), later], extra), [0])).toEqual(new Map());
    // A broadcast store (domain larger than the output) writes elements several times.
    const broadcast = addKernel(ax(1), ax(1), [2, 3]);
    expect(donatableOutputs(program([broadcast]), [0])).toEqual(new Map());
  });

  it('refuses a load the stored value does not depend on (a renderer may order it after the store)', () => {
    const k = addKernel(rowMajor, rowMajor);
    k.exprs.push({ op: 'load', dtype: 'float32', buffer: 0, index: rowMajor });
    k.stores.push({ buffer: 3, index: rowMajor, value: 3 });
    const extra = [{ id: 3, dtype: 'float32' as const, size: 6, kind: 'temp' as const }];
    expect(donatableOutputs(program([k], extra), [0])).toEqual(new Map());
  });

  it('refuses a dtype or size mismatch', () => {
    const p = program([addKernel(rowMajor, rowMajor)]);
    p.buffers[0] = { id: 0, dtype: 'int32', size: 6, kind: 'input' };
    expect(donatableOutputs(p, [0])).toEqual(new Map());
  });
});

describe('loadsStoredBuffer', () => {
  it('says whether a kernel reads a buffer it also writes (its points could see each other)', () => {
    const k = addKernel(rowMajor, rowMajor);
    expect(loadsStoredBuffer(k)).toBe(false);
    expect(loadsStoredBuffer({ ...k, stores: [{ buffer: 0, index: rowMajor, value: 2 }] })).toBe(true);
    expect(loadsStoredBuffer({ ...k, stores: [...k.stores, { buffer: 1, index: rowMajor, value: 2 }] })).toBe(
      true,
    );
  });
});
