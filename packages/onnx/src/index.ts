// @paradox/onnx: import ONNX models as Paradox graphs and run them jitted.
export { ONNX_TYPE, onnxTypeName } from './dtypes.js';
export {
  OnnxDTypeError,
  OnnxError,
  OnnxExternalDataError,
  OnnxInputError,
  OnnxModelError,
  OnnxStaticValueError,
  OnnxUnsupportedOpError,
} from './errors.js';
export { type LoadOnnxOptions, loadOnnx, type OnnxModel, type OnnxValueInfo } from './import.js';
export {
  decodeOnnxModel,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type OnnxAttrValue,
  OnnxModelBuilder,
} from './model-builder.js';
export { ONNX_OPS } from './ops/index.js';
export { int64, onnxMessage, onnxProtoRoot } from './proto.js';
export { type OnnxInputData, OnnxSession, type OnnxSessionOptions, onnxSession } from './session.js';
export { decodeTensor, type OnnxTensor } from './tensor-proto.js';
