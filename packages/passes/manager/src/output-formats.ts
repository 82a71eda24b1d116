import type { Graph } from '@paradox/ir';
import type { PassOutputs } from './pass.js';

/** Renders one pass output as text for people, given the graph the pipeline produced. */
export type PassOutputFormatter<K extends keyof PassOutputs> = (
  value: PassOutputs[K],
  graph: Graph,
) => string;

const formatters = new Map<string, (value: unknown, graph: Graph) => string>();

/**
 * Registered by the pass package that produces the output, beside its `PassOutputs` entry, so a
 * caller (jit's inspect(), a CLI) can show every report without importing the pass's types.
 */
export function registerPassOutputFormatter<K extends keyof PassOutputs & string>(
  key: K,
  format: PassOutputFormatter<K>,
): void {
  formatters.set(key, format as (value: unknown, graph: Graph) => string);
}

/** Every output of one pipeline run that has a formatter, as text, by key. */
export function formatPassOutputs(outputs: Partial<PassOutputs>, graph: Graph): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const format = formatters.get(key);
    if (format && value !== undefined) texts[key] = format(value, graph);
  }
  return texts;
}
