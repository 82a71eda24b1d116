import { GraphBuilder, verifyProgram } from '@paradox/ir';
import { randomInputs } from '@paradox/ir/testing';
import { describe, expect, test } from 'vitest';
import { describeProgram, formatProgramStats } from '../src/index.js';
import { checkLowering, f32 } from './helpers.js';

/** Temps share slots by liveness; evaluateProgram runs temps inside their slots, so a bad plan gives wrong values. */
describe('memory planning', () => {
  test('a chain of 5 kernels uses 2 slots', () => {
    const b = new GraphBuilder('chain5');
    let v = b.input('x', f32(16));
    for (const op of ['exp', 'neg', 'sin', 'tanh', 'abs']) v = b.op(op, [v]);
    const g = b.output(v).build();
    const p = checkLowering(g, randomInputs(g, 1));
    expect(p.kernels).toHaveLength(5);
    const temps = p.buffers.filter((buf) => buf.kind === 'temp');
    expect(temps).toHaveLength(4);
    expect(temps.map((t) => t.slot)).toEqual([0, 1, 0, 1]);
    expect(p.slots).toEqual([
      { id: 0, bytes: 64 },
      { id: 1, bytes: 64 },
    ]);
  });

  test('a temp stays in its slot while a later kernel still reads it', () => {
    const b = new GraphBuilder('skip');
    const x = b.input('x', f32(8));
    const a = b.op('exp', [x]);
    const c = b.op('neg', [a]);
    const d = b.op('sin', [c]);
    const e = b.op('add', [d, a]); // reads a again, three kernels later
    const g = b.output(e).build();
    const p = checkLowering(g);
    const slotOf = (node: string) =>
      p.buffers.find(
        (buf) =>
          buf.kind === 'temp' &&
          p.kernels.find((k) => k.sourceNodes?.includes(node))?.stores[0]?.buffer === buf.id,
      )!.slot;
    expect(new Set([slotOf(a), slotOf(c), slotOf(d)]).size).toBe(3);
  });

  test('slots grow to fit a larger later temp and mixed dtypes share them', () => {
    const b = new GraphBuilder('grow');
    const x = b.input('x', f32(4));
    const a = b.op('exp', [x]); // 16 bytes
    const c = b.op('gt', [a, b.op('constant', [], { value: 1, dtype: 'float32' })]); // bool: 4 bytes
    const d = b.op('broadcast', [b.op('cast', [c], { dtype: 'int32' })], { shape: [8, 4] });
    const e = b.op('neg', [d]); // int32 [8,4]: 128 bytes, a is dead by then
    const f = b.op('abs', [e]);
    const g = b.output(b.op('sign', [f])).build();
    const p = checkLowering(g);
    verifyProgram(p);
    expect(p.slots.length).toBeLessThan(p.buffers.filter((buf) => buf.kind === 'temp').length);
  });

  test('describeProgram counts kernels, traffic and the unavoidable minimum', () => {
    const b = new GraphBuilder('stats');
    const x = b.input('x', f32(4, 8));
    const s = b.op('sum', [b.op('exp', [x])], { axes: [1], keepdims: false });
    const g = b.output(s).build();
    const p = checkLowering(g);
    const stats = describeProgram(p);
    expect(stats.kernelCount).toBe(2);
    expect(stats.kernels.map((k) => [k.bytesRead, k.bytesWritten])).toEqual([
      [128, 128],
      [128, 16],
    ]);
    expect(stats.minimumBytes).toBe(128 + 16);
    expect(stats.slotBytes).toBe(128);
    expect(formatProgramStats(stats)).toMatch(/2 kernel\(s\), 400 B moved \(minimum 144 B\)/);
  });
});
