/**
 * Code built with `new Function` (a playground's editor, a REPL) has no file name on its stack frames,
 * only the name its `//# sourceURL=` comment gives; call sites must point there, not at the caller.
 */
import { describe, expect, it } from 'vitest';
import { type Tensor, trace, zeros } from '../src/index.js';

describe('call sites in evaluated code', () => {
  it('a node traced from new Function code records its sourceURL, line and column', () => {
    const body = 'return (x) =>\n  x.neg();\n//# sourceURL=typed-in.js';
    const fn = new Function(body)() as (x: Tensor) => Tensor;
    const g = trace(fn, zeros([2]));
    const [neg] = g.nodes.filter((n) => n.op === 'neg');
    // new Function puts two lines (`function anonymous(`, `) {`) above the body's first line.
    expect(neg!.source).toMatchObject({ file: 'typed-in.js', line: 4, column: 5 });
  });
});
