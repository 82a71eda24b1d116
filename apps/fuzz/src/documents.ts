import type { Capabilities } from '@paradox/backend';
import { type Graph, generateGraphCase, type KernelProgram } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { DEFAULT_PIPELINE, PassManager } from '@paradox/pass-manager';
import '@paradox/pass-dce';
import '@paradox/pass-cse';
import '@paradox/pass-fold';
import '@paradox/pass-layout';
import '@paradox/pass-fusion';

/**
 * Valid documents the campaigns mutate: graphs from the independent generator, and kernel programs
 * lowered from them both unfused and through jit's default pipeline.
 */
export function baseGraphs(seed: number, count: number): Graph[] {
  return Array.from({ length: count }, (_, i) => generateGraphCase(seed + i, { steps: 6 }).graph);
}

/** The graph through jit's default pipeline for `capabilities` (fusion groups, layout). */
export function optimize(graph: Graph, capabilities: Capabilities): Graph {
  return new PassManager(DEFAULT_PIPELINE, { capabilities }).run(graph).graph;
}

export function basePrograms(seed: number, count: number, capabilities?: Capabilities): KernelProgram[] {
  return baseGraphs(seed, count).map((g, i) =>
    lowerGraph(capabilities && i % 2 === 0 ? optimize(g, capabilities) : g),
  );
}

/** JSON text -> value tree with NaN/Infinity/-0 revived from their {"$num": ...} spelling. */
export function reviveDocument(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$num' in v) {
      const n = { nan: Number.NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[v.$num as string];
      if (n !== undefined) return n;
    }
    return v;
  });
}

/** Value tree -> JSON text, spelling numbers JSON cannot hold as {"$num": ...} like the serializers. */
export function encodeDocument(doc: unknown): string {
  return JSON.stringify(doc, (_k, v) => {
    if (typeof v !== 'number') return v;
    if (Number.isNaN(v)) return { $num: 'nan' };
    if (v === Infinity) return { $num: 'inf' };
    if (v === -Infinity) return { $num: '-inf' };
    if (Object.is(v, -0)) return { $num: '-0' };
    return v;
  });
}

/** A deep copy that keeps typed arrays typed (kernel programs hold their constants that way). */
export const cloneDocument = <T>(doc: T): T => structuredClone(doc);
