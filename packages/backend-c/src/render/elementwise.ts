import { declareAxes, type EmitContext, ExprEmitter, Lines, LoopVars } from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR, PARALLEL_MIN_WORK } from './frame.js';

/** Inner-axis chunk when the outer axes alone cannot feed every thread. */
const CHUNK = 16384;

/**
 * Elementwise kernels: the outer domain axes flattened into one parallel loop (split into
 * chunks of the inner axis when they are few), the innermost axis a `#pragma omp simd` loop, so
 * loads and stores along it are contiguous vectors whenever the index is.
 */
export function renderElementwise(frame: CFrame, ctx: EmitContext): Lines {
  const { analysis } = ctx;
  const domain = analysis.kernel.domain;
  const out = new Lines();
  const vars = new LoopVars();
  const body = new Lines();
  const point = new ExprEmitter(ctx, body, vars);
  for (const s of analysis.domainStores) point.store(s);
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    if (domain.length === 0) {
      out.append(body);
      return;
    }
    const I = frame.indexType;
    const lit = frame.literal;
    const last = domain.length - 1;
    const inner = domain[last]!;
    const outerExtents = domain.slice(0, last);
    const outer = outerExtents.reduce((a, b) => a * b, 1);
    const chunks = outer >= 64 ? 1 : Math.max(1, Math.min(Math.ceil(inner / CHUNK), 256));
    const chunk = Math.ceil(inner / chunks);
    const outerVars = new Set([...vars.axes].filter((k) => k !== last));
    if (analysis.domainSize >= PARALLEL_MIN_WORK) out.push(PARALLEL_FOR);
    out.block(`for (${I} t = 0; t < ${lit(outer * chunks)}; ++t)`, () => {
      out.push(
        chunks === 1 ? `const ${I} o = t, lo = 0, hi = ${lit(inner)};` : `const ${I} o = t / ${lit(chunks)};`,
      );
      if (chunks > 1) {
        out.push(`const ${I} lo = (t % ${lit(chunks)}) * ${lit(chunk)};`);
        out.push(`const ${I} hi = lo + ${lit(chunk)} < ${lit(inner)} ? lo + ${lit(chunk)} : ${lit(inner)};`);
      }
      out.push('(void)o;');
      declareAxes(out, outerExtents, outerVars, 'o', 'a', I, lit);
      out.push('#pragma omp simd');
      out.block(`for (${I} a${last} = lo; a${last} < hi; ++a${last})`, () => out.append(body));
    });
  });
  return out;
}
