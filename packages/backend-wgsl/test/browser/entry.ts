/**
 * Browser bundle of the smoke test: the package's browser entry (navigator.gpu only) plus a hook
 * the test calls with a serialized kernel program and its inputs.
 */
import { deserializeProgram, type TypedArray } from '@paradox/ir';
import { wgslBackend } from '../../src/browser.js';

interface SmokeInput {
  dtype: 'float32' | 'int32' | 'bool';
  values: number[];
}

async function paradoxSmoke(
  programJson: string,
  inputs: SmokeInput[],
): Promise<{ adapter: string; outputs: number[][] }> {
  const program = deserializeProgram(programJson);
  const exe = await wgslBackend.compile(program);
  const buffers = inputs.map((input) => {
    const data: TypedArray =
      input.dtype === 'int32'
        ? Int32Array.from(input.values)
        : input.dtype === 'bool'
          ? Uint8Array.from(input.values)
          : Float32Array.from(input.values);
    const b = wgslBackend.allocate(input.dtype, data.length);
    wgslBackend.upload(b, data);
    return b;
  });
  const outs = await exe.run(buffers);
  const outputs = await Promise.all(outs.map(async (o) => Array.from(await wgslBackend.download(o))));
  const rt = await wgslBackend.runtime();
  return { adapter: rt.acquired.description, outputs };
}

(globalThis as { paradoxSmoke?: typeof paradoxSmoke }).paradoxSmoke = paradoxSmoke;
