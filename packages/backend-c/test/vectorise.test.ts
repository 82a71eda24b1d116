import { readFileSync } from 'node:fs';
import { type Graph, GraphBuilder } from '@paradox/ir';
import { fusionPass } from '@paradox/pass-fusion';
import { lowerGraph } from '@paradox/pass-lower';
import { silentLogger } from '@paradox/pass-manager';
import { describe, expect, it } from 'vitest';
import { createCBackend, renderCProgram } from '../src/index.js';

// The W1 chain relu(x*2+1)*sigmoid(x)-0.5 fuses into one kernel whose loop the compiler must turn
// into packed vector FMAs (x*2+1 and the exp polynomial), with no call left in it (expf would be
// one). Read from the assembly the real compiler makes with the backend's flags.
const backend = createCBackend();
const cpuFlags = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
})();
const x86WithFma = process.arch === 'x64' && /\bfma\b/.test(cpuFlags);

function w1Program() {
  const n = 1 << 20;
  const b = new GraphBuilder('w1');
  const x = b.input('x', { dtype: 'float32', shape: [n] });
  const scalar = (v: number) => b.op('broadcast', [b.constant([v], [], 'float32')], { shape: [n] });
  const t = b.op('relu', [b.op('add', [b.op('mul', [x, scalar(2)]), scalar(1)])]);
  const y = b.op('sub', [b.op('mul', [t, b.op('sigmoid', [x])]), scalar(0.5)]);
  return fusedProgram(b.output(y).build());
}

function fusedProgram(graph: Graph) {
  const ctx = { options: {}, logger: silentLogger, outputs: {}, capabilities: backend.capabilities };
  return lowerGraph(fusionPass.run(graph, ctx).graph);
}

describe.skipIf(backend.unavailableReason !== undefined || !x86WithFma)('backend-c vectorisation', () => {
  it('the W1 kernel is one loop of packed vector FMAs with no calls', () => {
    const program = w1Program();
    expect(program.kernels).toHaveLength(1);
    const asm = backend.compiler.assembly(renderCProgram(program).source);
    const k0 = asm.slice(asm.indexOf('k0._omp_fn'), asm.indexOf('.size', asm.indexOf('k0._omp_fn')));
    expect(k0.length).toBeGreaterThan(0);
    expect(k0).toMatch(/vfmadd\d+ps\s+[^\n]*%[yz]mm/);
    expect(k0).not.toMatch(/\bcall\b[^\n]*(expf|sigmoid|px_)/);
  });

  it.each([
    'exp',
    'log',
    'tanh',
    'sigmoid',
    'sin',
    'cos',
  ])('a loop of %s is vectorised, with no math call', (fn) => {
    const n = 1 << 20;
    const b = new GraphBuilder(fn);
    const graph = b.output(b.op(fn, [b.input('x', { dtype: 'float32', shape: [n] })])).build();
    const asm = backend.compiler.assembly(renderCProgram(lowerGraph(graph)).source);
    const start = asm.indexOf('k0._omp_fn');
    const loop = asm.slice(start, asm.indexOf('.size', start));
    expect(loop).toMatch(/\bv\w+ps\s+[^\n]*%[yz]mm/);
    expect(loop).not.toMatch(/\bcall\b[^\n]*(sin|cos|exp|log|tanh|px_)/);
  });

  it('tanh and sigmoid after relu (operands known >= 0, as in the W3 chain) stay vectorised', () => {
    const n = 1 << 20;
    const b = new GraphBuilder('w3-like');
    let v = b.input('x', { dtype: 'float32', shape: [n] });
    for (const op of ['relu', 'tanh', 'relu', 'sigmoid', 'tanh']) v = b.op(op, [v]);
    const program = fusedProgram(b.output(v).build());
    expect(program.kernels).toHaveLength(1);
    const asm = backend.compiler.assembly(renderCProgram(program).source);
    const start = asm.indexOf('k0._omp_fn');
    const loop = asm.slice(start, asm.indexOf('.size', start));
    expect(loop).toMatch(/\bvdivps\s+[^\n]*%[yz]mm/);
    expect(loop).not.toMatch(/\bvdivss\b/); // no scalar division left: the loop is not scalar
  });
});
