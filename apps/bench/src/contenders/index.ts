import type { Contender } from '../types.js';
import { jaxJs } from './jax.js';
import { jsFused, jsFusedTuned } from './js-fused.js';
import { jsMatmul } from './js-matmul.js';
import { onnxruntime } from './onnxruntime.js';
import { paradoxContenders } from './paradox.js';
import { paradoxCContenders } from './paradox-c.js';
import { paradoxOnnx } from './paradox-onnx.js';
import { paradoxTiered } from './paradox-tiered.js';
import { paradoxWasmModule } from './paradox-wasm-module.js';
import { tfjs } from './tfjs.js';

/** Every contender in table order: Paradox rows, hand-written references, then peers. */
export async function allContenders(): Promise<Contender[]> {
  return [
    ...(await paradoxContenders()),
    ...paradoxCContenders(),
    paradoxOnnx(),
    paradoxWasmModule(),
    paradoxTiered(),
    jsFused,
    jsFusedTuned,
    jsMatmul,
    tfjs('cpu'),
    tfjs('wasm'),
    onnxruntime(1),
    onnxruntime(2),
    jaxJs('eager'),
    jaxJs('jit'),
  ];
}
