import * as z from 'zod/mini';
import { BINARY_OPS, UNARY_OPS } from '../op-types.js';
import { anyNumber, dim, dtypeSchema, int } from '../ops/define.js';
import { positive } from '../ops/window.js';

/**
 * zod schemas of the serialized documents (both dialects). Buffers are base64 with their storage
 * dtype; every other field is the in-memory shape. Unknown fields are dropped (a newer minor may add
 * optional ones); wrong types and missing fields are errors.
 */
const nat = dim;
const dtype = dtypeSchema;
const nonEmpty = z.string().check(z.minLength(1));
const tensorType = z.object({ dtype, shape: z.array(nat) });
/** An attrs object; `__proto__` is refused, since zod's record would drop it silently. */
const attrsSchema = z.pipe(
  z.unknown().check(
    z.refine((v) => !(v !== null && typeof v === 'object' && Object.hasOwn(v, '__proto__')), {
      message: "attribute name '__proto__' is not allowed",
    }),
  ),
  z.record(z.string(), z.unknown()),
);
export const bufferSchema = z.object({ dtype: z.enum(['float32', 'int32', 'bool']), data: z.string() });

export const graphDocSchema = z.object({
  irVersion: z.string(),
  kind: z.literal('graph'),
  graph: z.object({
    name: z.string(),
    inputs: z.array(z.object({ id: nonEmpty, type: tensorType })),
    constants: z.array(z.object({ id: nonEmpty, type: tensorType, buffer: nat })),
    buffers: z.array(bufferSchema),
    nodes: z.array(
      z.object({
        id: nonEmpty,
        op: z.string(),
        inputs: z.array(z.string()),
        attrs: attrsSchema,
        type: tensorType,
        source: z.optional(
          z.object({ file: z.string(), line: nat, column: z.optional(nat), fn: z.optional(z.string()) }),
        ),
        group: z.optional(nat),
      }),
    ),
    outputs: z.array(z.string()),
  }),
});
export type GraphDoc = z.infer<typeof graphDocSchema>;

type IndexExprIn =
  | { k: 'const'; v: number }
  | { k: 'axis' | 'raxis'; axis: number }
  | { k: 'add'; a: IndexExprIn; b: IndexExprIn }
  | { k: 'mul' | 'div' | 'mod'; a: IndexExprIn; c: number };
export const indexExprSchema: z.ZodMiniType<IndexExprIn> = z.lazy(() =>
  z.discriminatedUnion('k', [
    z.object({ k: z.literal('const'), v: int }),
    z.object({ k: z.literal('axis'), axis: nat }),
    z.object({ k: z.literal('raxis'), axis: nat }),
    z.object({ k: z.literal('add'), a: indexExprSchema, b: indexExprSchema }),
    z.object({ k: z.literal('mul'), a: indexExprSchema, c: int }),
    z.object({ k: z.literal('div'), a: indexExprSchema, c: positive }),
    z.object({ k: z.literal('mod'), a: indexExprSchema, c: positive }),
  ]),
);
const bound = z.object({ expr: indexExprSchema, lo: int, hi: int });

const scalarExpr = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('load'),
    dtype,
    buffer: nat,
    index: indexExprSchema,
    guard: z.optional(z.array(bound)),
    other: z.optional(anyNumber),
    dynamic: z.optional(z.object({ value: nat, extent: positive, stride: nat })),
  }),
  z.object({ op: z.literal('const'), dtype, value: anyNumber }),
  z.object({ op: z.literal('index'), dtype: z.literal('int32'), index: indexExprSchema }),
  z.object({ op: z.literal('inbounds'), dtype: z.literal('bool'), guards: z.array(bound) }),
  z.object({ op: z.literal('unary'), fn: z.enum(UNARY_OPS), dtype, a: nat }),
  z.object({ op: z.literal('binary'), fn: z.enum(BINARY_OPS), dtype, a: nat, b: nat }),
  z.object({ op: z.literal('where'), dtype, c: nat, a: nat, b: nat }),
  z.object({ op: z.literal('cast'), dtype, a: nat }),
  z.object({
    op: z.literal('random'),
    dtype,
    seed: z.number().check(z.int(), z.minimum(0), z.maximum(0xffffffff)),
    index: indexExprSchema,
    distribution: z.enum(['uniform', 'normal']),
  }),
  z.object({ op: z.literal('reduce'), fn: z.enum(['sum', 'prod', 'max', 'min', 'argmax']), dtype, a: nat }),
]);

const kernel = z.object({
  name: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'kernel names are identifiers')),
  kind: z.enum(['elementwise', 'reduce', 'contraction']),
  domain: z.array(nat),
  reduce: z.optional(z.object({ shape: z.array(nat) })),
  exprs: z.array(scalarExpr),
  stores: z.array(
    z.object({
      buffer: nat,
      index: indexExprSchema,
      value: nat,
      phase: z.optional(z.enum(['domain', 'reduction'])),
    }),
  ),
  contraction: z.optional(z.object({ lhs: nat, rhs: nat, acc: nat, m: nat, n: nat })),
  sourceNodes: z.optional(z.array(z.string())),
});

export const programDocSchema = z.object({
  irVersion: z.string(),
  kind: z.literal('program'),
  program: z.object({
    name: z.string(),
    buffers: z.array(
      z.object({
        id: nat,
        dtype,
        size: nat,
        kind: z.enum(['input', 'output', 'temp', 'const']),
        slot: z.optional(nat),
        constant: z.optional(nat),
      }),
    ),
    kernels: z.array(kernel),
    inputs: z.array(nat),
    outputs: z.array(nat),
    outputShapes: z.array(z.array(nat)),
    inputShapes: z.array(z.array(nat)),
    slots: z.array(z.object({ id: nat, bytes: nat })),
    constants: z.array(bufferSchema),
  }),
});
export type ProgramDoc = z.infer<typeof programDocSchema>;
