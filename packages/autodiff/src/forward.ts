import { type Attrs, canonicalAttrs, isFloat } from '@paradox/ir';
import type { ApplyPrimitive, Tensor, TraceInterpreter } from '@paradox/tracer';
import { NON_DIFFERENTIABLE } from './rule-types.js';
import { derivativeRule } from './rules.js';
import { gradientStopped } from './stop-gradient.js';

/**
 * Forward mode as a trace level (JAX's JVPTrace): keeps a tangent beside every primal that depends
 * on a seeded input. Tangent ops run at the level below, so they nest with tapes and traces.
 */
export class Forward implements TraceInterpreter {
  private readonly tangents = new Map<Tensor, Tensor>();

  seed(x: Tensor, tangent: Tensor): void {
    this.tangents.set(x, tangent);
  }

  tangent(x: Tensor): Tensor | undefined {
    return this.tangents.get(x);
  }

  applyPrimitive(op: string, inputs: readonly Tensor[], attrs: Attrs, next: ApplyPrimitive): Tensor {
    const out = next(op, inputs, attrs);
    if (gradientStopped() || !isFloat(out.dtype)) return out;
    const tangents = inputs.map((x) => this.tangents.get(x));
    if (tangents.every((t) => t === undefined)) return out;
    const rule = derivativeRule(op);
    if (rule === NON_DIFFERENTIABLE) return out;
    const canonical = canonicalAttrs(
      op,
      inputs.map((x) => x.type),
      attrs,
    );
    this.tangents.set(out, rule.jvp(tangents, inputs, out, canonical));
    return out;
  }
}
