import type { Graph, KernelProgram } from '@paradox/ir';

/** Turns a one-op graph into a kernel program (`lowerGraph` from @paradox/pass-lower). */
export type EagerLowering = (graph: Graph) => KernelProgram;

let lowering: EagerLowering | undefined;

/**
 * Injects the lowering that lets eager ops run on the registered backend. The tracer does not depend
 * on a lowering pass: @paradox/jit injects `lowerGraph` when it is imported. Until one is injected,
 * eager ops run on the reference interpreter. Returns the previous lowering so tests can restore it.
 */
export function setEagerLowering(next: EagerLowering | undefined): EagerLowering | undefined {
  const previous = lowering;
  lowering = next;
  return previous;
}

export const getEagerLowering = (): EagerLowering | undefined => lowering;
