import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  flattenTree,
  interpreterExecutor,
  leafPaths,
  PytreeError,
  setEagerExecutor,
  type Tensor,
  tensor,
  unflattenTree,
} from '../src/index.js';

beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

describe('pytree', () => {
  it('flattens depth-first with sorted object keys and round-trips', () => {
    const [a, b, c] = [tensor([1]), tensor([2]), tensor([3])];
    const tree = { z: [a, 'static', { k: b }], a: c, n: null };
    const { leaves, treedef } = flattenTree(tree);
    expect(leaves).toEqual([c, a, b]);
    expect(treedef.numLeaves).toBe(3);
    expect(treedef.key).toBe('{"a":*,"n":=null,"z":[*,=s:"static",{"k":*}]}');
    expect(leafPaths(treedef)).toEqual([['a'], ['z', 0], ['z', 2, 'k']]);
    const rebuilt = unflattenTree(treedef, leaves) as typeof tree;
    expect(rebuilt.z[0]).toBe(a);
    expect((rebuilt.z[2] as { k: Tensor }).k).toBe(b);
    expect(rebuilt).toEqual({ a: c, n: null, z: [a, 'static', { k: b }] });
  });

  it('keys compare structure and static values, not tensor contents', () => {
    const key = (x: unknown) => flattenTree(x).treedef.key;
    expect(key([tensor([1]), 2])).toBe(key([tensor([5, 6]), 2]));
    expect(key([tensor([1]), 2])).not.toBe(key([tensor([1]), 3]));
    expect(key([0])).not.toBe(key([-0]));
    expect(key({ a: tensor([1]) })).not.toBe(key([tensor([1])]));
    const f = () => 1;
    expect(key([f])).toBe(key([f]));
    expect(key([f])).not.toBe(key([() => 1]));
    expect(flattenTree([1]).treedef.equals(flattenTree([1]).treedef)).toBe(true);
  });

  it('rejects cycles and wrong leaf counts', () => {
    const cyc: unknown[] = [];
    cyc.push(cyc);
    expect(() => flattenTree(cyc)).toThrow(PytreeError);
    expect(() => unflattenTree(flattenTree([tensor([1])]).treedef, [])).toThrow(/has 1 leaves, got 0/);
  });

  it('unflatten(flatten(x)) rebuilds any JSON-like tree (property)', () => {
    const leaf = tensor([0]);
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(leaf),
        fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          fc.string({ maxLength: 3 }).filter((k) => k !== '__proto__'),
          tie('node'),
          { maxKeys: 3 },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (t) => {
        const { leaves, treedef } = flattenTree(t);
        expect(unflattenTree(treedef, leaves)).toEqual(t);
        expect(flattenTree(unflattenTree(treedef, leaves)).treedef.key).toBe(treedef.key);
      }),
      { numRuns: 100 },
    );
  });
});

describe('pytree depth', () => {
  it('a 50,000-deep argument is a PytreeError, not a stack overflow', () => {
    let deep: unknown = tensor([1]);
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(() => flattenTree(deep)).toThrow(PytreeError);
    let ok: unknown = tensor([1]);
    for (let i = 0; i < 999; i++) ok = { a: ok };
    expect(flattenTree(ok).leaves).toHaveLength(1);
  });
});
