import type { NodeContext, OpMapping } from '../context.js';
import { ONNX_TYPE } from '../dtypes.js';
import type { Emitter, Val } from '../emitter.js';
import { binary, cast, rank, reduce, reshape, withScalar } from './build.js';
import { roundHalfEven } from './elementwise.js';

/**
 * Linear (de)quantization with float32 arithmetic and int32 storage of the quantized values (see
 * the README's dtypes: uint8/int8 narrow to int32, their ranges are kept by saturation).
 */

const RANGE: Record<number, [number, number]> = {
  [ONNX_TYPE.UINT8]: [0, 255],
  [ONNX_TYPE.INT8]: [-128, 127],
  [ONNX_TYPE.UINT16]: [0, 65535],
  [ONNX_TYPE.INT16]: [-32768, 32767],
};

/** A 1-D per-channel parameter viewed along `axis` of x; a scalar stays a scalar. */
function alongAxis(e: Emitter, p: Val, x: Val, axis: number): Val {
  if (rank(p) === 0) return p;
  const a = axis < 0 ? axis + rank(x) : axis;
  return reshape(
    e,
    p,
    x.type.shape.map((d, i) => (i === a ? d : 1)),
  );
}

function quantize(e: Emitter, x: Val, scale: Val, zeroPoint: Val | undefined, range: [number, number]): Val {
  let q = roundHalfEven(e, binary(e, 'div', x, scale));
  if (zeroPoint) q = binary(e, 'add', q, cast(e, zeroPoint, 'float32'));
  return cast(e, withScalar(e, 'minimum', withScalar(e, 'maximum', q, range[0]), range[1]), 'int32');
}

function quantizeLinear(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = cast(e, ctx.input(0), 'float32');
  const axis = ctx.int('axis', 1);
  const zp = ctx.optional(2);
  const zpType = zp?.onnxType ?? ONNX_TYPE.UINT8;
  const range = RANGE[zpType];
  if (!range) throw ctx.unsupported(`quantizing to ONNX type ${zpType}`);
  const q = quantize(e, x, alongAxis(e, ctx.input(1), x, axis), zp && alongAxis(e, zp, x, axis), range);
  return { ...q, onnxType: zpType };
}

function dequantizeLinear(ctx: NodeContext): Val {
  const e = ctx.e;
  const x = cast(e, ctx.input(0), 'float32');
  const axis = ctx.int('axis', 1);
  const zp = ctx.optional(2);
  const shifted = zp ? binary(e, 'sub', x, cast(e, alongAxis(e, zp, x, axis), 'float32')) : x;
  return binary(e, 'mul', shifted, alongAxis(e, ctx.input(1), x, axis));
}

/** DynamicQuantizeLinear: uint8 with the scale and zero point from the data's range (0 always included). */
function dynamicQuantizeLinear(ctx: NodeContext): Val[] {
  const e = ctx.e;
  const x = ctx.input(0);
  const all = [...Array(rank(x)).keys()];
  const hi = withScalar(e, 'maximum', reduce(e, 'max', x, all, false), 0);
  const lo = withScalar(e, 'minimum', reduce(e, 'min', x, all, false), 0);
  const scale = withScalar(e, 'div', binary(e, 'sub', hi, lo), 255);
  const zp = cast(
    e,
    withScalar(
      e,
      'minimum',
      withScalar(e, 'maximum', roundHalfEven(e, binary(e, 'div', e.op('neg', [lo]), scale)), 0),
      255,
    ),
    'int32',
  );
  const y = quantize(e, x, scale, zp, [0, 255]);
  return [y, scale, zp];
}

export const QUANTIZE_OPS: Record<string, OpMapping> = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
  DynamicQuantizeLinear: dynamicQuantizeLinear,
};
