import '@paradox/backend-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EagerExecutor,
  interpreterExecutor,
  setEagerExecutor,
  TensorArgumentError,
  TensorTransferredError,
  tensor,
} from '../src/index.js';
import './inject-lowering.js';

// Host storage (the interpreter) and device storage (backend-js, read in place), each path.
describe.each([
  'backend-js',
  'interpreter',
] as const)('dataSync({ into }) and data({ into }) on %s', (where) => {
  let previous: EagerExecutor | undefined;
  beforeAll(() => {
    if (where === 'interpreter') previous = setEagerExecutor(interpreterExecutor);
  });
  afterAll(() => {
    if (previous) setEagerExecutor(previous);
  });

  it('writes the elements into the caller array and returns it; the tensor stays usable', async () => {
    const t = tensor([
      [1.5, -2],
      [3, 0.25],
    ]);
    const into = new Float32Array(4).fill(9);
    const out = t.dataSync({ into });
    expect(out).toBe(into);
    expect([...into]).toEqual([1.5, -2, 3, 0.25]);
    expect([...t.add(1).dataSync()]).toEqual([2.5, -1, 4, 1.25]);
    const again = new Float32Array(4);
    expect(await t.data({ into: again })).toBe(again);
    expect([...again]).toEqual([1.5, -2, 3, 0.25]);
    // int32 and bool read into their own array classes.
    const ints = new Int32Array(3);
    tensor([4, -5, 6], undefined, 'int32').dataSync({ into: ints });
    expect([...ints]).toEqual([4, -5, 6]);
    const flags = new Uint8Array(2);
    tensor([3, 0]).gt(1).dataSync({ into: flags });
    expect([...flags]).toEqual([1, 0]);
  });

  it('rejects an array of another class or length, naming both', async () => {
    const t = tensor([1, 2, 3]);
    expect(() => t.dataSync({ into: new Float32Array(2) })).toThrow(TensorArgumentError);
    expect(() => t.dataSync({ into: new Float32Array(2) })).toThrow(
      /dataSync\(\{ into \}\): into must be a Float32Array of 3 elements \(the tensor is float32\[3\]\); got Float32Array of 2 elements/,
    );
    expect(() => t.dataSync({ into: new Int32Array(3) as never })).toThrow(/got Int32Array of 3 elements/);
    expect(() => t.dataSync({ into: [1, 2, 3] as never })).toThrow(/got object/);
    await expect(t.data({ into: new Uint8Array(3) as never })).rejects.toThrow(TensorArgumentError);
    // Nothing was consumed by the failed reads.
    expect([...t.dataSync()]).toEqual([1, 2, 3]);
  });

  it('with transfer: true the read ends the tensor', async () => {
    const t = tensor([7, 8]);
    const into = new Float32Array(2);
    expect(t.dataSync({ into, transfer: true })).toBe(into);
    expect([...into]).toEqual([7, 8]);
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(TensorTransferredError);
    const u = tensor([1, 2]);
    const read = u.data({ into, transfer: true });
    expect(u.isDisposed).toBe(true); // at once, as with transfer alone
    expect(await read).toBe(into);
    expect([...into]).toEqual([1, 2]);
  });
});
