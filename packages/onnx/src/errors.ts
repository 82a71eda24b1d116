/** Every failure of the ONNX frontend is one of these classes (branch on `instanceof`). */
export class OnnxError extends Error {
  override name = 'OnnxError';
}

/** The bytes are not a well-formed ONNX model (bad protobuf, missing graph, dangling value names). */
export class OnnxModelError extends OnnxError {
  override name = 'OnnxModelError';
}

/** A node whose op type (in its domain and opset) the importer does not map. */
export class OnnxUnsupportedOpError extends OnnxError {
  override name = 'OnnxUnsupportedOpError';
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly opset: number,
    readonly domain = '',
    readonly detail?: string,
  ) {
    super(
      `unsupported ONNX op ${domain ? `${domain}.` : ''}${opType} (opset ${opset}) at node '${nodeName}'` +
        (detail ? `: ${detail}` : ''),
    );
  }
}

/** A tensor stored outside the model file (`data_location: EXTERNAL`): pass the bytes of a self-contained model. */
export class OnnxExternalDataError extends OnnxError {
  override name = 'OnnxExternalDataError';
  constructor(readonly tensorName: string) {
    super(
      `tensor '${tensorName}' keeps its data in an external file; external-data models are not supported (save the model with its data inside)`,
    );
  }
}

/** A value whose ONNX element type cannot be held (string, complex) or does not convert exactly (int64 beyond int32). */
export class OnnxDTypeError extends OnnxError {
  override name = 'OnnxDTypeError';
}

/**
 * Paradox compiles static shapes: an operand that decides a shape (Reshape's shape, Slice's starts)
 * must be known at import. `input` names the graph input it comes from, when it is one: bind it with
 * `loadOnnx(bytes, { staticInputs: { [input]: values } })`.
 */
export class OnnxStaticValueError extends OnnxError {
  override name = 'OnnxStaticValueError';
  constructor(
    message: string,
    readonly input?: string,
  ) {
    super(message);
  }
}

/** `session.run()` got inputs that do not match the model (missing, unknown, wrong shape or element count). */
export class OnnxInputError extends OnnxError {
  override name = 'OnnxInputError';
}
