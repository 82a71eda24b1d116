import type { Bound, OpName } from '@paradox/ir';
import type { RuleContext } from './op-rules.js';

/** Value selection: bounds that survive simplification become a where over an inbounds test. */
export function selectInBounds(
  ctx: RuleContext<OpName>,
  bounds: Bound[],
  inside: number,
  outside: number,
): number {
  const live = ctx.b.simplifyGuards(bounds);
  if (live.length === 0) return inside;
  const c = ctx.b.add({ op: 'inbounds', dtype: 'bool', guards: live });
  return ctx.b.add({ op: 'where', dtype: ctx.node.type.dtype, c, a: inside, b: outside });
}
