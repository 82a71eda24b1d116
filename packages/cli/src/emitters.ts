import { type Graph, printGraph, serializeGraph } from '@paradox/ir';
import type { PassOutputs } from '@paradox/pass-manager';
import { EmitError } from './errors.js';

/** What an emitter renders: the optimized graph and what the pipeline's passes reported. */
export interface EmitInput {
  graph: Graph;
  outputs: Partial<PassOutputs>;
}

export interface EmitOptions {
  /** --backend NAME, for emitters that target a backend. */
  backend?: string;
}

/** One `--emit` target. A package adds its own with registerEmitter; main never switches on names. */
export interface Emitter {
  readonly name: string;
  readonly description: string;
  emit(input: EmitInput, options: EmitOptions): string | Promise<string>;
}

const emitters = new Map<string, Emitter>();

export function registerEmitter(emitter: Emitter): void {
  if (emitters.has(emitter.name))
    throw new EmitError(`an emitter named '${emitter.name}' is already registered`);
  emitters.set(emitter.name, emitter);
}

export function getEmitter(name: string): Emitter {
  const emitter = emitters.get(name);
  if (!emitter) throw new EmitError(`unknown --emit '${name}'; available: ${listEmitters().join(', ')}`);
  return emitter;
}

export const listEmitters = (): string[] => [...emitters.keys()].sort();

registerEmitter({
  name: 'ir',
  description: 'IR text (the .pdx form)',
  emit: ({ graph }) => printGraph(graph),
});
registerEmitter({
  name: 'json',
  description: 'IR JSON (serializeGraph)',
  emit: ({ graph }) => serializeGraph(graph),
});
