import { TreeDef } from '@paradox/tracer';
import * as z from 'zod/mini';
import { JitExportError } from './errors.js';

/** A TreeDef as JSON. Static values must be JSON primitives, so a loaded program can check them by value. */
export type TreeJson =
  | { leaf: true }
  | { static: string | number | boolean | null }
  | { array: TreeJson[] }
  | { object: { keys: string[]; children: TreeJson[] } };

export const treeJsonSchema: z.ZodMiniType<TreeJson> = z.lazy(() =>
  z.union([
    z.strictObject({ leaf: z.literal(true) }),
    z.strictObject({ static: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
    z.strictObject({ array: z.array(treeJsonSchema) }),
    z.strictObject({
      object: z.strictObject({ keys: z.array(z.string()), children: z.array(treeJsonSchema) }),
    }),
  ]),
);

/** `def` as JSON; pytrees deeper than `maxDepth` are refused (loadCompiled would refuse them). */
export function treeToJson(def: TreeDef, where: string, maxDepth: number): TreeJson {
  if (maxDepth < 0) throw new JitExportError(`cannot export: ${where} is nested too deeply`);
  const node = def.node;
  switch (node.kind) {
    case 'leaf':
      return { leaf: true };
    case 'static': {
      const v = node.value;
      const ok =
        v === null ||
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0));
      if (!ok) {
        throw new JitExportError(
          `cannot export: the static value at ${where} (${typeof v}) is not a JSON string, finite number, boolean or null, ` +
            'so a loaded program could not check it',
        );
      }
      return { static: v as string | number | boolean | null };
    }
    case 'array':
      return { array: node.children.map((c, i) => treeToJson(c, `${where}[${i}]`, maxDepth - 1)) };
    case 'object':
      return {
        object: {
          keys: node.keys,
          children: node.children.map((c, i) => treeToJson(c, `${where}.${node.keys[i]}`, maxDepth - 1)),
        },
      };
  }
}

export function treeFromJson(json: TreeJson): TreeDef {
  if ('leaf' in json) return TreeDef.leaf();
  if ('static' in json) return TreeDef.static(json.static);
  if ('array' in json) return TreeDef.array(json.array.map(treeFromJson));
  if (json.object.keys.length !== json.object.children.length) {
    throw new JitExportError('malformed tree: an object has a different number of keys and children');
  }
  return TreeDef.object(json.object.keys, json.object.children.map(treeFromJson));
}
