import type { DynamicIndex } from '../kernel.js';

/**
 * The element offset a load's dynamic term adds for the int32 value `value`: the value clamped to
 * [0, extent), times stride. Evaluators call this; renderers spell the same clamp in their language.
 */
export function dynamicOffset(d: DynamicIndex, value: number): number {
  const clamped = value < 0 ? 0 : value > d.extent - 1 ? d.extent - 1 : value;
  return clamped * d.stride;
}
