import { describe, expect, it } from 'vitest';
import {
  argmaxTakes,
  BINARY_OPS,
  type DType,
  evalBinary,
  GraphBuilder,
  getOp,
  interpret,
  NUMBER_RULES,
  type RuleSyntax,
  reduceDef,
} from '../src/index.js';

// Facts about ops live once, on the registry's definitions; these tests pin them to hand-computed
// values and to the reference interpreter.
describe('reduce facts', () => {
  it('declares each fold identity by dtype', () => {
    const table = (fn: 'sum' | 'prod' | 'max' | 'min' | 'argmax') =>
      (['float32', 'float16', 'int32', 'bool'] as DType[]).map((d) => reduceDef(fn).identity(d));
    expect(table('sum')).toEqual([0, 0, 0, 0]);
    expect(table('prod')).toEqual([1, 1, 1, 1]);
    expect(table('max')).toEqual([-Infinity, -Infinity, -2147483648, 0]);
    expect(table('min')).toEqual([Infinity, Infinity, 2147483647, 1]);
    expect(table('argmax')).toEqual(table('max'));
    expect(['sum', 'prod', 'max', 'min', 'argmax'].map((f) => reduceDef(f as 'sum').step)).toEqual([
      'add',
      'mul',
      'maximum',
      'minimum',
      undefined,
    ]);
  });

  it('the reduce ops carry them', () => {
    for (const fn of ['sum', 'prod', 'max', 'min', 'argmax'] as const)
      expect(getOp(fn).reduce).toBe(reduceDef(fn));
  });

  it('folding from the identity with the step gives what the interpreter gives', () => {
    const data = Float32Array.from([3, -0, NaN, 7, -2.5, 7, 1e30, -Infinity]);
    for (const fn of ['sum', 'prod', 'max', 'min'] as const) {
      for (const slice of [data.subarray(0, 2), data.subarray(3), data]) {
        const b = new GraphBuilder('r');
        const x = b.input('x', { dtype: 'float32', shape: [slice.length] });
        const g = b.output(b.op(fn, [x], { axes: [0], keepdims: false })).build();
        const [want] = interpret(g, [{ dtype: 'float32', shape: [slice.length], data: slice }]);
        const { step, identity } = reduceDef(fn);
        const got = slice.reduce((acc, v) => evalBinary(step!, acc, v, 'float32'), identity('float32'));
        expect(Object.is(got, want!.data[0])).toBe(true);
      }
    }
  });

  it("argmax's rule: the first maximum wins, NaN counts as the maximum, its first occurrence wins", () => {
    expect(argmaxTakes(2, 1)).toBe(true);
    expect(argmaxTakes(1, 1)).toBe(false);
    expect(argmaxTakes(0, 1)).toBe(false);
    expect(argmaxTakes(NaN, 1e30)).toBe(true);
    expect(argmaxTakes(NaN, NaN)).toBe(false);
    expect(argmaxTakes(Infinity, NaN)).toBe(false);
    const b = new GraphBuilder('a');
    const x = b.input('x', { dtype: 'float32', shape: [6] });
    const g = b.output(b.op('argmax', [x], { axis: 0, keepdims: false })).build();
    const data = Float32Array.from([1, 5, 5, NaN, 9, NaN]);
    let best = 0;
    for (let k = 1; k < data.length; k++) if (argmaxTakes(data[k]!, data[best]!)) best = k;
    expect(best).toBe(3);
    expect(interpret(g, [{ dtype: 'float32', shape: [6], data }])[0]!.data[0]).toBe(best);
  });

  it('a rendering of the rule computes what the rule computes', () => {
    const js: RuleSyntax<string, string> = {
      gt: (a, b) => `${a} > ${b}`,
      isNaN: (a) => `${a} !== ${a}`,
      notNaN: (a) => `${a} === ${a}`,
      and: (a, b) => `(${a} && ${b})`,
      or: (a, b) => `${a} || ${b}`,
    };
    const source = reduceDef('argmax').takes!('v', 'best', js);
    expect(source).toBe('v > best || (v !== v && best === best)');
    const rendered = new Function('v', 'best', `return ${source};`) as (v: number, best: number) => boolean;
    const values = [NaN, -Infinity, -1, -0, 0, 2, Infinity];
    for (const v of values)
      for (const best of values)
        expect(rendered(v, best)).toBe(reduceDef('argmax').takes!(v, best, NUMBER_RULES));
  });
});

describe('op traits', () => {
  it('marks exactly the comparisons, whose results are bool', () => {
    const comparisons = BINARY_OPS.filter((op) => getOp(op).traits.comparison);
    expect(comparisons).toEqual(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
    for (const op of BINARY_OPS) {
      const out = getOp(op).inferType(
        [
          { dtype: op === 'and' || op === 'or' ? 'bool' : 'float32', shape: [2] },
          { dtype: op === 'and' || op === 'or' ? 'bool' : 'float32', shape: [2] },
        ],
        {},
      );
      expect(out.dtype === 'bool' && op !== 'and' && op !== 'or').toBe(comparisons.includes(op));
    }
  });
});
