import { afterEach, describe, expect, it } from 'vitest';
import * as mini from 'zod/mini';
import {
  AttrError,
  deserializeGraph,
  GraphBuilder,
  registerOp,
  SerializationError,
  serializeGraph,
  unregisterOp,
  validateAttrs,
} from '../src/index.js';

/**
 * The built-in schemas are zod/mini (small browser bundles), which loads no locale: without the
 * English messages passed per parse, every error below would read "Invalid input".
 */
describe('schema errors name what is wrong and where (zod/mini with English messages)', () => {
  const attrError = (op: string, attrs: unknown): string => {
    try {
      validateAttrs(op, attrs);
    } catch (e) {
      expect(e).toBeInstanceOf(AttrError);
      return (e as Error).message;
    }
    throw new Error(`${op} accepted ${JSON.stringify(attrs)}`);
  };

  it('attrs: the field, what was expected and what was found', () => {
    expect(attrError('sum', { axes: [0.5], keepdims: true })).toBe(
      "sum: attribute 'axes.0': Invalid input: expected int, received number",
    );
    expect(attrError('sum', { axes: [0], keepdims: true, extra: 1 })).toBe(
      `sum: attribute 'extra': Unrecognized key: "extra"`,
    );
    expect(attrError('conv', { strides: [0], dilations: [1], pads: 'valid', groups: 1 })).toBe(
      "conv: attribute 'strides.0': Too small: expected number to be >=1",
    );
    expect(
      attrError('random', { seed: 2 ** 33, shape: [2], dtype: 'float32', distribution: 'uniform' }),
    ).toBe("random: attribute 'seed': Too big: expected number to be <=4294967295");
    expect(attrError('cast', { dtype: 'float64' })).toBe(
      `cast: attribute 'dtype': Invalid option: expected one of "float32"|"int32"|"bool"|"float16"`,
    );
    expect(attrError('slice', { starts: [0], stops: [null, 'a'], steps: [1] })).toBe(
      "slice: attribute 'stops.1': Invalid input: expected number, received string",
    );
    expect(
      attrError('avgPool', { kernel: [2], strides: [1], dilations: [1], pads: 'valid', ceilMode: false }),
    ).toBe("avgPool: attribute 'countIncludePad': Invalid input: expected boolean, received undefined");
  });

  it('documents: the path in the document and the problem', () => {
    const b = new GraphBuilder('g');
    b.output(b.op('exp', [b.input('x', { dtype: 'float32', shape: [2] })], {}));
    const doc = JSON.parse(serializeGraph(b.build()));
    doc.graph.nodes[0].id = '';
    doc.graph.inputs[0].type.shape = [1.5];
    expect(() => deserializeGraph(doc)).toThrow(
      new SerializationError('Invalid input: expected int, received number', 'graph.inputs.0.type.shape.0'),
    );
    doc.graph.inputs[0].type.shape = [2];
    expect(() => deserializeGraph(doc)).toThrow(
      new SerializationError('Too small: expected string to have >=1 characters', 'graph.nodes.0.id'),
    );
  });

  it('empty attrs: accepted where the schema takes none, the missing field named where it needs some', () => {
    for (let k = 0; k < 2; k++) {
      // The second round reads what the first learnt about each schema and `{}`.
      expect(validateAttrs('neg', {})).toEqual({});
      expect(validateAttrs('mul', undefined)).toBeUndefined();
      expect(attrError('neg', { axis: 0 })).toMatch(/^neg: attribute 'axis': /);
      expect(attrError('sum', {})).toMatch(/^sum: attribute 'axes': /);
      expect(attrError('neg', Object.create({ inherited: 1 }))).toMatch(/^neg: /);
      expect(attrError('neg', [])).toMatch(/^neg: /);
    }
  });

  it("leaves zod's global config alone (a user's own zod/mini keeps its own messages)", () => {
    expect(() => validateAttrs('sum', { axes: 'x', keepdims: true })).toThrow(AttrError);
    const r = mini.safeParse(mini.number(), 'x');
    expect(r.success || r.error.issues[0]!.message).toBe('Invalid input');
  });

  // Classic zod schemas (decompose.test.ts registers some) are not imported here: classic zod installs
  // its English locale globally on import, which would hide a missing per-parse locale.
  describe('an op registered with a zod/mini schema', () => {
    afterEach(() => unregisterOp('withMini'));
    it('is validated with the same messages', () => {
      const name = 'withMini';
      registerOp({
        name,
        arity: 1,
        attrs: mini.strictObject({ k: mini.number().check(mini.int(), mini.minimum(2)) }),
        traits: { elementwise: true },
        inferType: ([x]) => x!,
        evaluate: ([x]) => x!,
      });
      expect(() => validateAttrs(name, { k: 3 })).not.toThrow();
      expect(attrError(name, { k: 1 })).toBe(`${name}: attribute 'k': Too small: expected number to be >=2`);
    });
  });
});
