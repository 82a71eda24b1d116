import { IR_VERSION, type KernelProgram } from '@paradox/ir';
import { describe, expect, it } from 'vitest';
import { HostMemoryPool, HostSlab, ProgramOutputs, programStorage } from '../src/index.js';

/** A program with one input, a temp in slot 0, a constant and two outputs (16 and 32768 floats). */
function program(): KernelProgram {
  return {
    irVersion: IR_VERSION,
    name: 'p',
    buffers: [
      { id: 0, dtype: 'float32', size: 16, kind: 'input' },
      { id: 1, dtype: 'float32', size: 16, kind: 'temp', slot: 0 },
      { id: 2, dtype: 'int32', size: 3, kind: 'const', constant: 0 },
      { id: 3, dtype: 'float32', size: 16, kind: 'output' },
      { id: 4, dtype: 'float32', size: 32768, kind: 'output' },
    ],
    kernels: [],
    inputs: [0],
    outputs: [3, 4],
    inputShapes: [[16]],
    outputShapes: [[16], [32768]],
    slots: [{ id: 0, bytes: 128 }],
    constants: [new Int32Array([1, 2, 3])],
  };
}

describe('host storage for compiled programs', () => {
  it('programStorage: temps view their slot, constants are the program arrays', () => {
    const p = program();
    const storage = programStorage(p);
    expect(storage.get(1)).toBeInstanceOf(Float32Array);
    expect(storage.get(1)!.buffer.byteLength).toBe(128);
    expect(storage.get(2)).toBe(p.constants[0]);
    expect(storage.has(0) || storage.has(3)).toBe(false);
  });

  it('HostSlab: zeroed, 64-byte aligned, non-overlapping arrays', () => {
    const slab = new HostSlab();
    const views = Array.from({ length: 2000 }, () => slab.take('float32', 5, 20));
    for (const v of views) {
      expect(v.byteOffset % 64).toBe(0);
      expect([...v]).toEqual([0, 0, 0, 0, 0]);
      v.fill(7);
    }
    // Every view still holds only its own writes.
    expect(views.every((v) => v.every((x) => x === 7))).toBe(true);
    expect(new Set(views.map((v) => v.buffer)).size).toBeGreaterThan(1);
  });

  it('ProgramOutputs: small outputs from the slab, large ones from the pool once freed', () => {
    const pool = new HostMemoryPool();
    const outputs = new ProgramOutputs(program(), 'h', pool, undefined, new HostSlab());
    const [small, large] = outputs.take();
    expect(small!.data.buffer.byteLength).toBe(64 * 1024);
    expect(large!.data.length).toBe(32768);
    pool.giveArray(small!.data); // a view into a slab is never pooled
    pool.giveArray(large!.data);
    expect(pool.heldBytes).toBe(32768 * 4);
    const [, again] = outputs.take();
    expect(again!.data.buffer).toBe(large!.data.buffer);
    expect(pool.heldBytes).toBe(0);
  });
});
