import { expect, it } from 'vitest';
import { parseGraph, VerifyError } from '../src/index.js';

// Attribute names are data: `__proto__` must not reach the attrs object's prototype, and names
// Object.prototype has (`constructor`, `toString`) are not "given twice".
const withAttrs = (attrs: string) =>
  `graph @f(%x: f32[2]) {\n  %0: f32[2] = cast %x {${attrs}}\n  return %0\n}`;

it('takes attribute names Object.prototype has as plain attributes', () => {
  for (const key of ['__proto__', 'constructor', 'toString']) {
    let error: unknown;
    try {
      parseGraph(withAttrs(`dtype = "float32", ${key} = 1`));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerifyError); // an unknown attribute of cast, named
    expect((error as Error).message).toMatch(new RegExp(key));
    expect((error as Error).message).not.toMatch(/given twice/);
  }
  expect(parseGraph(withAttrs('dtype = "float32"')).nodes[0]!.attrs).toEqual({ dtype: 'float32' });
});
