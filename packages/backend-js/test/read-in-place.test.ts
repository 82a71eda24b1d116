import type { Backend } from '@paradox/backend';
import { execute } from '@paradox/backend-conformance';
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/index.js';

// readInPlace (a host buffer's own array) holds what download() copies; the conformance runner
// checks that contract on every case, so a backend that breaks it fails there.
function negate() {
  const b = new GraphBuilder('f');
  const x = b.input('x', { dtype: 'float32', shape: [4] });
  const graph = b.output(b.op('neg', [x])).build();
  for (const node of graph.nodes) node.group = 0;
  return lowerGraph(graph);
}

describe('readInPlace', () => {
  const input = Float32Array.from([1, -0, Number.NaN, 4]);

  it("is the buffer's own array, equal to download()'s copy", async () => {
    const js = createJsBackend({ name: 'js-read' });
    const program = negate();
    const [out] = await execute(js, js.compile(program), program, [input]);
    expect(Array.from(out!)).toEqual([-1, 0, Number.NaN, -4]);
    const buffer = js.allocate('float32', 4);
    js.upload(buffer, input);
    const own = js.readInPlace!(buffer);
    expect(own).not.toBe(js.download(buffer));
    expect(Array.from(own)).toEqual(Array.from(input));
  });

  it('fails the conformance runner when it disagrees with download(), or when download() is not a copy', async () => {
    const program = negate();
    const js = createJsBackend({ name: 'js-read-2' });
    const stale: Backend = { ...js, readInPlace: () => new Float32Array(4) };
    await expect(execute(stale, js.compile(program), program, [input])).rejects.toThrow(
      /readInPlace\(\) differs from download\(\)/,
    );
    const aliasing: Backend = { ...js, download: (b) => js.readInPlace!(b) };
    await expect(execute(aliasing, js.compile(program), program, [input])).rejects.toThrow(/not a copy/);
  });
});
