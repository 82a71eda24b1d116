import { type Attrs, canonicalAttrs, isFloat } from '@paradox/ir';
import {
  type ApplyPrimitive,
  type Tensor,
  type TraceInterpreter,
  TracerTensor,
  withCallSite,
} from '@paradox/tracer';
import { NON_DIFFERENTIABLE } from './rule-types.js';
import { derivativeRule } from './rules.js';
import { gradientStopped } from './stop-gradient.js';

interface Entry {
  op: string;
  inputs: readonly Tensor[];
  attrs: Attrs;
  out: Tensor;
}

/**
 * Runs `body` so that the nodes it records (a rule's backward ops) point at the user's call that made
 * `t` (under a trace), as the forward op does.
 */
export function atSourceOf<T>(t: Tensor, body: () => T): T {
  const site = t instanceof TracerTensor ? t.source : undefined;
  return site ? withCallSite(site, body) : body();
}

/**
 * Reverse mode as a trace level: records every primitive application that depends on a tracked
 * tensor (and has a float result), then runs the VJP rules backwards. The backward pass runs after
 * the level is removed, so its ops go to the levels outside it: an outer tape records them (grad of
 * grad), a trace records them (jit compiles forward and backward into one graph).
 */
export class Tape implements TraceInterpreter {
  private readonly tracked = new Set<Tensor>();
  private readonly entries: Entry[] = [];

  track(x: Tensor): void {
    this.tracked.add(x);
  }

  applyPrimitive(op: string, inputs: readonly Tensor[], attrs: Attrs, next: ApplyPrimitive): Tensor {
    const out = next(op, inputs, attrs);
    if (gradientStopped() || !isFloat(out.dtype) || !inputs.some((x) => this.tracked.has(x))) return out;
    if (derivativeRule(op) === NON_DIFFERENTIABLE) return out;
    const canonical = canonicalAttrs(
      op,
      inputs.map((x) => x.type),
      attrs,
    );
    this.entries.push({ op, inputs, attrs: canonical, out });
    this.tracked.add(out);
    return out;
  }

  /** Cotangents of `wrt` (undefined: no path from it to an output) given the outputs' cotangents. */
  backward(
    outputs: readonly Tensor[],
    cotangents: readonly Tensor[],
    wrt: readonly Tensor[],
  ): (Tensor | undefined)[] {
    const cot = new Map<Tensor, Tensor>();
    const accumulate = (x: Tensor, g: Tensor) => {
      const prev = cot.get(x);
      cot.set(x, prev === undefined ? g : prev.add(g));
    };
    outputs.forEach((y, i) => {
      if (this.tracked.has(y)) accumulate(y, cotangents[i]!);
    });
    for (let k = this.entries.length - 1; k >= 0; k--) {
      const { op, inputs, attrs, out } = this.entries[k]!;
      const ct = cot.get(out);
      if (ct === undefined) continue;
      const rule = derivativeRule(op);
      if (rule === NON_DIFFERENTIABLE) continue;
      const needs = inputs.map((x) => this.tracked.has(x));
      atSourceOf(out, () => {
        const grads = rule.vjp(ct, inputs, out, attrs, needs);
        inputs.forEach((x, i) => {
          const g = grads[i];
          if (needs[i] && g !== undefined) accumulate(x, g);
        });
      });
    }
    return wrt.map((x) => cot.get(x));
  }
}
