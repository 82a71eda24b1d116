import { GraphBuilder, registerOp, unregisterOp } from '@paradox/ir';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { LoweringError, lowerGraph } from '../src/index.js';
import { f32, group } from './helpers.js';

/** Groups fusion must not form are rejected with a LoweringError naming the group and the reason. */
function expectLoweringError(build: () => unknown, group: string | undefined, reason: RegExp): void {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(LoweringError);
    expect((e as LoweringError).group).toBe(group);
    expect((e as LoweringError).reason).toMatch(reason);
    return;
  }
  throw new Error('expected a LoweringError');
}

describe('LoweringError', () => {
  afterEach(() => {
    try {
      unregisterOp('custom_double');
    } catch {}
  });

  test('two reductions with different shapes in one group', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(4, 6));
    const s = b.op('sum', [x], { axes: [1], keepdims: false });
    const m = b.op('max', [x], { axes: [0], keepdims: false });
    const g = b.output(s, m).build();
    group(g, 3, s, m);
    expectLoweringError(() => lowerGraph(g), '3', /two reductions with different shapes.*%0.*%1/);
  });

  test('a reduction reading another reduction of its group', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(4, 6));
    const m = b.op('max', [x], { axes: [1], keepdims: true });
    const e = b.op('exp', [b.op('sub', [x, m])]);
    const s = b.op('sum', [e], { axes: [1], keepdims: true });
    const g = b.output(s).build();
    group(g, 0, ...g.nodes.map((n) => n.id));
    expectLoweringError(() => lowerGraph(g), '0', /reads %0 \(max\).*dependent reductions/);
  });

  test('a reduction result read away from its own domain point', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(4, 6));
    const s = b.op('sum', [x], { axes: [1], keepdims: false });
    const r = b.op('slice', [s], { starts: [-1], stops: [null], steps: [-1] });
    const y = b.op('add', [s, r]);
    const g = b.output(y).build();
    group(g, 1, s, r, y);
    expectLoweringError(
      () => lowerGraph(g),
      '1',
      /%0 \(sum\) is read at an index other than the kernel's domain point/,
    );
  });

  test('stored values that do not cover the kernel domain', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(4, 8));
    const v = b.input('v', f32(8));
    const e = b.op('exp', [v]);
    const y = b.op('add', [x, e]);
    const g = b.output(e, y).build();
    group(g, 2, e, y);
    expectLoweringError(
      () => lowerGraph(g),
      '2',
      /%1 is stored by the group but its 32 elements match neither the kernel domain \[8\]/,
    );
  });

  test('a matmul operand computed inside its own group', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2, 3));
    const w = b.input('w', f32(3, 2));
    const e = b.op('exp', [x]);
    const mm = b.op('matmul', [e, w]);
    const g = b.output(mm).build();
    group(g, 5, e, mm);
    expectLoweringError(() => lowerGraph(g), '5', /matmul %1 reads %0 \(exp\) computed in its own group/);
  });

  test('groups that depend on each other', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(3));
    const a = b.op('exp', [x]);
    const c = b.op('neg', [a]);
    const d = b.op('add', [a, c]);
    const g = b.output(d).build();
    group(g, 0, a, d);
    group(g, 1, c);
    expectLoweringError(() => lowerGraph(g), undefined, /groups .*0.*1.* cycle/);
  });

  test('an op without a lowering rule', () => {
    registerOp({
      name: 'custom_double',
      arity: 1,
      attrs: z.strictObject({}),
      traits: { elementwise: true },
      inferType: ([t]) => t!,
      evaluate: ([t]) => ({ ...t!, data: t!.data.map((v) => v * 2) }),
    });
    const b = new GraphBuilder('g');
    const y = b.op('custom_double', [b.input('x', f32(3))]);
    expectLoweringError(
      () => lowerGraph(b.output(y).build()),
      'node %0',
      /op 'custom_double' has no lowering rule/,
    );
  });
});
