/**
 * The consumer project's own files: what a user writes after `npm install @paradox/core`.
 * x @ w + 1, relu, with x = [[1, 2], [3, 4]], w = [[1, -2], [0, 1]]: x @ w = [[1, 0], [3, -2]].
 */
export const EXPECTED = [2, 1, 4, 0];

const LAYER = `const layer = (x, w) => x.matmul(w).add(1).relu();
const X = [[1, 2], [3, 4]];
const W = [[1, -2], [0, 1]];`;

export const NODE_ESM = `import { jit, tensor } from '@paradox/core';
${LAYER}
const y = jit(layer)(tensor(X), tensor(W));
console.log(JSON.stringify(Array.from(y.dataSync())));
`;

export const NODE_CJS = `const { jit, tensor } = require('@paradox/core');
${LAYER}
const y = jit(layer)(tensor(X), tensor(W));
console.log(JSON.stringify(Array.from(y.dataSync())));
`;

/**
 * The page: js and WebGPU backends, and where a traced op says it came from (the user's
 * \`.mul(\` in the bundle; for gelu's inner erf, the user's \`gelu(\` call). Publishes its findings on
 * window.paradoxResult.
 */
export const PAGE = `import { gelu, jit, tensor, trace } from '@paradox/core';
import '@paradox/backend-wgsl';
${LAYER}
const result = {};
const describe = (e) => \`\${e && e.name}: \${e && e.message}\`;
async function main() {
  try {
    result.js = Array.from(jit(layer)(tensor(X), tensor(W)).dataSync());
  } catch (e) {
    result.jsError = describe(e);
  }
  try {
    result.wgsl = Array.from(await jit(layer, { backend: 'wgsl' })(tensor(X), tensor(W)).data());
  } catch (e) {
    result.wgslError = describe(e);
  }
  try {
    const userFunction = (x) => x.mul(2).exp();
    result.loc = trace(userFunction, tensor([1, 2])).nodes.find((n) => n.op === 'mul').source ?? null;
  } catch (e) {
    result.locError = describe(e);
  }
  try {
    const composite = (x) => gelu(x.mul(2));
    result.compositeLoc = trace(composite, tensor([1, 2])).nodes.find((n) => n.op === 'erf').source ?? null;
  } catch (e) {
    result.locError = describe(e);
  }
}
main().finally(() => {
  window.paradoxResult = result;
});
`;

/** Only the default backend: the bundle size users pay for \`@paradox/core\`. */
export const PAGE_JS_ONLY = `import { jit, tensor } from '@paradox/core';
${LAYER}
window.paradoxResult = { js: Array.from(jit(layer)(tensor(X), tensor(W)).dataSync()) };
`;

/** Strict TypeScript over the public API of the packages a browser user installs (no @types/node needed). */
export const TS_BROWSER = `import { jit, type Tensor, tensor, trace } from '@paradox/core';
import { grad } from '@paradox/autodiff';
import { wgslBackend } from '@paradox/backend-wgsl';
import { printGraph } from '@paradox/ir';
import '@paradox/backend-wasm';

const layer = jit((x: Tensor, w: Tensor, b: Tensor) => x.matmul(w).add(b).relu());
const y: Tensor = layer(tensor([[1, 2]]), tensor([[1], [-1]]), tensor([0.5]));
const shape: readonly number[] = y.shape;
const loss = (x: Tensor) => x.mul(x).sum();
const dx: Tensor = grad(loss)(tensor([1, 2])); // typed from loss: (x: Tensor) => Tensor
const [dw, db]: [Tensor, Tensor] = grad((w: Tensor, b: Tensor) => w.mul(b).sum(), { argnums: [0, 1] })(tensor([1]), tensor([2]));
const text: string = printGraph(trace(loss, tensor([1, 2])));
export const summary = [shape, dx.shape, dw.shape, db.shape, text.length, wgslBackend.name, y[Symbol.dispose]] as const;
`;

/** The Node-only packages too. */
export const TS_NODE = `${TS_BROWSER}
import '@paradox/backend-c';
import '@paradox/backend-cuda';
import { loadOnnx } from '@paradox/onnx';
import { sgd } from '@paradox/optim';
import { parseCliArgs } from '@paradox/cli';
import { PassManager } from '@paradox/pass-manager';
export const more = [loadOnnx, sgd, parseCliArgs, PassManager] as const;
`;

export interface TsConfigCase {
  name: string;
  /** Which tsc: the workspace's TypeScript 7 or TypeScript 6 (its JS API, also typedoc's). */
  ts: 6 | 7;
  file: 'browser.ts' | 'node.ts' | 'node.cts';
  compilerOptions: Record<string, unknown>;
}

const STRICT = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022' };

export const TS_CASES: TsConfigCase[] = [
  {
    name: 'nodenext',
    ts: 7,
    file: 'node.ts',
    compilerOptions: {
      ...STRICT,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: ['node'],
    },
  },
  {
    name: 'nodenext (ts 6)',
    ts: 6,
    file: 'node.ts',
    compilerOptions: {
      ...STRICT,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: ['node'],
    },
  },
  {
    name: 'nodenext cjs',
    ts: 7,
    file: 'node.cts',
    compilerOptions: {
      ...STRICT,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: ['node'],
    },
  },
  {
    name: 'bundler, lib es2022+dom, no @types/node',
    ts: 7,
    file: 'browser.ts',
    compilerOptions: {
      ...STRICT,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    },
  },
  {
    name: 'bundler (ts 6)',
    ts: 6,
    file: 'browser.ts',
    compilerOptions: {
      ...STRICT,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    },
  },
  {
    name: 'bundler + customConditions development',
    ts: 7,
    file: 'browser.ts',
    compilerOptions: {
      ...STRICT,
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
      customConditions: ['development'],
    },
  },
  {
    name: 'node10 (ts 6)',
    ts: 6,
    file: 'node.cts',
    compilerOptions: {
      ...STRICT,
      module: 'commonjs',
      moduleResolution: 'node10',
      ignoreDeprecations: '6.0',
      lib: ['es2022', 'dom'],
      types: ['node'],
    },
  },
];
