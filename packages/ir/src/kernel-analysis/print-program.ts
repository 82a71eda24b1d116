import { DTYPE_SHORT } from '../dtype.js';
import type { Bound, Kernel, KernelProgram, ScalarExpr } from '../kernel.js';
import { formatNumber } from '../text/numbers.js';
import { formatIndex } from './index-expr.js';

/**
 * A readable text form of the kernel dialect (for inspect() and paradox-opt). One line per buffer,
 * expr and store; not parsed back (the JSON form is the exchange format).
 */
export function printProgram(program: KernelProgram): string {
  const lines = [
    `program @${program.name} (inputs ${program.inputs.map((b) => `b${b}`).join(', ') || '-'}; outputs ${program.outputs.map((b) => `b${b}`).join(', ') || '-'})`,
  ];
  for (const b of program.buffers) {
    const extra =
      b.slot !== undefined ? ` slot ${b.slot}` : b.constant !== undefined ? ` constant ${b.constant}` : '';
    lines.push(`  buffer b${b.id}: ${DTYPE_SHORT[b.dtype]}[${b.size}] ${b.kind}${extra}`);
  }
  for (const s of program.slots) lines.push(`  slot ${s.id}: ${s.bytes} bytes`);
  for (const k of program.kernels) lines.push(...printKernelLines(k));
  return lines.join('\n') + '\n';
}

export function printKernelLines(k: Kernel): string[] {
  const reduce = k.reduce ? ` reduce [${k.reduce.shape.join(',')}]` : '';
  const lines = [`kernel ${k.name} ${k.kind} domain [${k.domain.join(',')}]${reduce} {`];
  k.exprs.forEach((e, i) => {
    lines.push(`  e${i}: ${DTYPE_SHORT[e.dtype] ?? e.dtype} = ${formatExpr(e)}`);
  });
  for (const s of k.stores) {
    lines.push(
      `  store${s.phase === 'reduction' ? '(reduction)' : ''} b${s.buffer}[${formatIndex(s.index)}] = e${s.value}`,
    );
  }
  if (k.contraction) {
    const c = k.contraction;
    lines.push(`  contraction lhs=e${c.lhs} rhs=e${c.rhs} acc=e${c.acc} m=${c.m} n=${c.n}`);
  }
  lines.push('}');
  return lines;
}

const formatBounds = (bs: Bound[]): string =>
  bs.map((b) => `${b.lo} <= ${formatIndex(b.expr)} < ${b.hi}`).join(' && ');

export function formatExpr(e: ScalarExpr): string {
  switch (e.op) {
    case 'load': {
      const d = e.dynamic;
      const dyn = d ? ` + clamp(e${d.value}, 0, ${d.extent - 1}) * ${d.stride}` : '';
      const base = `load b${e.buffer}[${formatIndex(e.index)}${dyn}]`;
      return e.guard?.length
        ? `${base} if ${formatBounds(e.guard)} else ${formatNumber(e.other ?? 0)}`
        : base;
    }
    case 'const':
      return `const ${formatNumber(e.value)}`;
    case 'index':
      return `index ${formatIndex(e.index)}`;
    case 'inbounds':
      return `inbounds ${formatBounds(e.guards)}`;
    case 'unary':
      return `${e.fn} e${e.a}`;
    case 'binary':
      return `${e.fn} e${e.a}, e${e.b}`;
    case 'where':
      return `where e${e.c}, e${e.a}, e${e.b}`;
    case 'cast':
      return `cast e${e.a}`;
    case 'random':
      return `random ${e.distribution} seed=${e.seed} [${formatIndex(e.index)}]`;
    case 'reduce':
      return `reduce ${e.fn} e${e.a}`;
  }
}
