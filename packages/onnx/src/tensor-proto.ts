import { ONNX_TYPE, onnxTypeName } from './dtypes.js';
import { OnnxDTypeError, OnnxExternalDataError, OnnxModelError } from './errors.js';
import { int64, onnxMessage } from './proto.js';

/** A decoded TensorProto: ONNX element type, dims, and every value as a double (exact for all but int64 beyond 2^53). */
export interface OnnxTensor {
  name: string;
  onnxType: number;
  dims: number[];
  values: Float64Array;
}

/** The fields of a decoded TensorProto message this module reads (protobufjs objects, keepCase). */
export interface TensorProtoMessage {
  name?: string;
  data_type?: number;
  dims?: unknown[];
  raw_data?: Uint8Array;
  float_data?: number[];
  double_data?: number[];
  int32_data?: number[];
  int64_data?: unknown[];
  uint64_data?: unknown[];
  string_data?: unknown[];
  data_location?: number;
}

/** IEEE half bits to a number (exact). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bfloatToNumber = (bits: number): number => {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
};

function fromRaw(raw: Uint8Array, onnxType: number, count: number, what: string): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  const size: Record<number, number> = {
    [ONNX_TYPE.FLOAT]: 4,
    [ONNX_TYPE.DOUBLE]: 8,
    [ONNX_TYPE.FLOAT16]: 2,
    [ONNX_TYPE.BFLOAT16]: 2,
    [ONNX_TYPE.UINT8]: 1,
    [ONNX_TYPE.INT8]: 1,
    [ONNX_TYPE.BOOL]: 1,
    [ONNX_TYPE.UINT16]: 2,
    [ONNX_TYPE.INT16]: 2,
    [ONNX_TYPE.INT32]: 4,
    [ONNX_TYPE.UINT32]: 4,
    [ONNX_TYPE.INT64]: 8,
    [ONNX_TYPE.UINT64]: 8,
  };
  const bytes = size[onnxType];
  if (bytes === undefined)
    throw new OnnxDTypeError(`${what}: ONNX element type ${onnxTypeName(onnxType)} has no Paradox dtype`);
  if (raw.byteLength !== bytes * count) {
    throw new OnnxModelError(
      `${what}: raw_data holds ${raw.byteLength} bytes, ${count} ${onnxTypeName(onnxType)} values need ${bytes * count}`,
    );
  }
  for (let i = 0; i < count; i++) {
    const at = i * bytes;
    switch (onnxType) {
      case ONNX_TYPE.FLOAT:
        out[i] = view.getFloat32(at, true);
        break;
      case ONNX_TYPE.DOUBLE:
        out[i] = view.getFloat64(at, true);
        break;
      case ONNX_TYPE.FLOAT16:
        out[i] = halfToNumber(view.getUint16(at, true));
        break;
      case ONNX_TYPE.BFLOAT16:
        out[i] = bfloatToNumber(view.getUint16(at, true));
        break;
      case ONNX_TYPE.UINT8:
      case ONNX_TYPE.BOOL:
        out[i] = view.getUint8(at);
        break;
      case ONNX_TYPE.INT8:
        out[i] = view.getInt8(at);
        break;
      case ONNX_TYPE.UINT16:
        out[i] = view.getUint16(at, true);
        break;
      case ONNX_TYPE.INT16:
        out[i] = view.getInt16(at, true);
        break;
      case ONNX_TYPE.INT32:
        out[i] = view.getInt32(at, true);
        break;
      case ONNX_TYPE.UINT32:
        out[i] = view.getUint32(at, true);
        break;
      case ONNX_TYPE.INT64:
        out[i] = Number(view.getBigInt64(at, true));
        break;
      default:
        out[i] = Number(view.getBigUint64(at, true));
    }
  }
  return out;
}

function fromFields(t: TensorProtoMessage, onnxType: number, what: string): Float64Array {
  switch (onnxType) {
    case ONNX_TYPE.FLOAT:
      return Float64Array.from(t.float_data ?? []);
    case ONNX_TYPE.DOUBLE:
      return Float64Array.from(t.double_data ?? []);
    case ONNX_TYPE.INT64:
      return Float64Array.from(t.int64_data ?? [], int64);
    case ONNX_TYPE.UINT32:
    case ONNX_TYPE.UINT64:
      return Float64Array.from(t.uint64_data ?? [], int64);
    case ONNX_TYPE.FLOAT16:
      return Float64Array.from(t.int32_data ?? [], halfToNumber);
    case ONNX_TYPE.BFLOAT16:
      return Float64Array.from(t.int32_data ?? [], bfloatToNumber);
    case ONNX_TYPE.UINT8:
    case ONNX_TYPE.INT8:
    case ONNX_TYPE.UINT16:
    case ONNX_TYPE.INT16:
    case ONNX_TYPE.INT32:
    case ONNX_TYPE.BOOL:
      return Float64Array.from(t.int32_data ?? []);
    default:
      throw new OnnxDTypeError(`${what}: ONNX element type ${onnxTypeName(onnxType)} has no Paradox dtype`);
  }
}

/** Reads a TensorProto message (refusing external data); `what` names it in errors. */
export function readTensor(t: TensorProtoMessage, what: string): OnnxTensor {
  const name = t.name ?? '';
  if (t.data_location === 1) throw new OnnxExternalDataError(name || what);
  const onnxType = t.data_type ?? 0;
  const dims = (t.dims ?? []).map(int64);
  if (dims.some((d) => !Number.isInteger(d) || d < 0))
    throw new OnnxModelError(`${what}: bad dims [${dims.join(',')}]`);
  const count = dims.reduce((a, b) => a * b, 1);
  const values =
    t.raw_data && t.raw_data.byteLength > 0
      ? fromRaw(t.raw_data, onnxType, count, what)
      : fromFields(t, onnxType, what);
  if (values.length !== count) {
    throw new OnnxModelError(
      `${what}: ${values.length} values for dims [${dims.join(',')}] (${count} elements)`,
    );
  }
  return { name, onnxType, dims, values };
}

/** Decodes a serialized TensorProto (an input or output file of a test data set). */
export function decodeTensor(bytes: Uint8Array, what = 'tensor'): OnnxTensor {
  let message: TensorProtoMessage;
  try {
    message = onnxMessage('TensorProto').decode(bytes) as TensorProtoMessage;
  } catch (err) {
    throw new OnnxModelError(`${what}: not a TensorProto (${(err as Error).message})`);
  }
  return readTensor(message, what);
}
