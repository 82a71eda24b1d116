import { type Tensor, tensor } from '@paradox/tracer';
import { describe, expect, it } from 'vitest';
import { jit, loadCompiled } from '../src/index.js';
import { expectValues } from './helpers.js';

const SPECIAL = ['__proto__', 'constructor', 'prototype'];

/** An export of `x => ({ a: x + 1 })` whose output key `a` is renamed to `key`. */
function exportWithOutputKey(key: string): string {
  const f = jit((x: Tensor) => ({ a: x.add(1) }));
  f(tensor([1, 2]));
  const doc = JSON.parse(f.export());
  doc.outputTree.object.keys = [key];
  return JSON.stringify(doc);
}

describe('pytree keys that name prototype slots (issue 24 item 4)', () => {
  it('an exported outputTree key __proto__ is an own field, not the prototype', () => {
    const r = loadCompiled(exportWithOutputKey('__proto__')).run(tensor([1, 2])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect((r as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expectValues(Object.getOwnPropertyDescriptor(r, '__proto__')!.value, [2, 3]);
  });

  it.each(SPECIAL)('a jit result with key %s round-trips as an own field', (key) => {
    const f = jit((x: Tensor) => {
      const out: Record<string, Tensor> = {};
      Object.defineProperty(out, key, {
        value: x.mul(2),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return out;
    });
    const r = f(tensor([1, 2])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.keys(r)).toEqual([key]);
    expectValues(Object.getOwnPropertyDescriptor(r, key)!.value, [2, 4]);
    const loaded = loadCompiled(f.export()).run(tensor([3, 4])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expectValues(Object.getOwnPropertyDescriptor(loaded, key)!.value, [6, 8]);
  });

  it('an argument pytree with an own __proto__ key feeds its tensor as an input', () => {
    const f = jit((p: Record<string, Tensor>) =>
      (Object.getOwnPropertyDescriptor(p, '__proto__')!.value as Tensor).add(1),
    );
    const arg = {};
    Object.defineProperty(arg, '__proto__', {
      value: tensor([1, 2]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expectValues(f(arg), [2, 3]);
  });

  it('a @jit method receiver with an own __proto__ field keeps its prototype', () => {
    class Model {
      declare w: Tensor;
      @jit
      apply(x: Tensor): Tensor {
        return x.mul(Object.getOwnPropertyDescriptor(this, '__proto__')!.value as Tensor);
      }
    }
    const m = new Model();
    Object.defineProperty(m, '__proto__', {
      value: tensor([3]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expectValues(m.apply(tensor([2])), [6]);
    expect(Object.getPrototypeOf(m)).toBe(Model.prototype);
  });
});
