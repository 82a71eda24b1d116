import type { Emitter, Val } from './emitter.js';
import { OnnxModelError, OnnxUnsupportedOpError } from './errors.js';
import { int64 } from './proto.js';
import { type OnnxTensor, readTensor, type TensorProtoMessage } from './tensor-proto.js';

/** The fields of a decoded AttributeProto this importer reads. */
export interface AttributeMessage {
  name?: string;
  f?: number;
  i?: unknown;
  s?: Uint8Array;
  t?: TensorProtoMessage;
  floats?: number[];
  ints?: unknown[];
  g?: unknown;
  type?: number;
}

/** The fields of a decoded NodeProto this importer reads. */
export interface NodeMessage {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeMessage[];
}

/** What an op mapping sees: its operands, attributes, opset, and the emitter to build with. */
export class NodeContext {
  private readonly attrs = new Map<string, AttributeMessage>();

  constructor(
    readonly e: Emitter,
    readonly node: NodeMessage,
    readonly opset: number,
    private readonly operands: (Val | undefined)[],
  ) {
    for (const a of node.attribute ?? []) if (a.name) this.attrs.set(a.name, a);
  }

  get opType(): string {
    return this.node.op_type ?? '';
  }

  get nodeName(): string {
    return this.node.name || `${this.opType} -> ${(this.node.output ?? []).join(', ')}`;
  }

  get inputCount(): number {
    return this.operands.length;
  }

  /** Operand i (a missing optional operand is an empty name in ONNX). */
  optional(i: number): Val | undefined {
    return this.operands[i];
  }

  input(i: number): Val {
    const v = this.operands[i];
    if (!v) throw new OnnxModelError(`node '${this.nodeName}' (${this.opType}) needs input ${i}`);
    return v;
  }

  /** Every present operand, in order. */
  all(): Val[] {
    return this.operands.filter((v): v is Val => v !== undefined);
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.attrs.get(name);
    return a ? int64(a.i) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? (a.ints ?? []).map(int64) : undefined;
  }

  float(name: string, fallback: number): number {
    const a = this.attrs.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  floats(name: string): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  string(name: string, fallback: string): string {
    const a = this.attrs.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  tensor(name: string): OnnxTensor | undefined {
    const a = this.attrs.get(name);
    return a?.t ? readTensor(a.t, `attribute ${name} of node '${this.nodeName}'`) : undefined;
  }

  /** The typed error for a case of this op that is not mapped. */
  unsupported(detail: string): OnnxUnsupportedOpError {
    return new OnnxUnsupportedOpError(this.opType, this.nodeName, this.opset, this.node.domain ?? '', detail);
  }
}

/** Maps one ONNX node onto graph ops; returns its outputs in order. */
export type OpMapping = (ctx: NodeContext) => Val | Val[];
