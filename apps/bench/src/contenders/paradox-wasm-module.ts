import type { ChainOp, CompileTiming, Contender } from '../types.js';
import { jitOptions, loadParadox, makeDefault, type ParadoxModules, paradoxForward } from './paradox.js';
import { unsupportedUnless } from './util.js';

/**
 * W5 on backend-wasm, module build alone: the kernel program of the 1,000-op graph (traced, optimized
 * and lowered by a jit call, untimed) is compiled by the wasm backend in the timed part: checks,
 * memory layout, rendering + encoding the module, and the engine's compile + instantiation. Issue
 * #22's target for this figure is 10 ms.
 */
export function paradoxWasmModule(): Contender {
  let m: ParadoxModules;
  // Programs by chain: a warm-cache jit call may hit a cache below the wrapper and compile nothing.
  const programs = new WeakMap<readonly ChainOp[], unknown>();
  return {
    id: 'paradox-wasm-module',
    label: 'Paradox wasm module build',
    group: 'paradox',
    threads: 1,
    async load() {
      m = await loadParadox();
      if (!m.jitMod) throw new Error(m.jitError ?? '@paradox/jit did not load');
      if (!m.backends.includes('wasm')) throw new Error(m.skipped.wasm ?? "backend 'wasm' is not registered");
    },
    unsupported: unsupportedUnless(['W5'], 'W5 only: times the module build of the 1,000-op program'),
    async compile(w, ops, x): Promise<CompileTiming> {
      const backend = m.backendMod.getBackend('wasm');
      const restore = makeDefault(m, 'wasm');
      const compile = backend.compile;
      try {
        if (!programs.has(ops)) {
          backend.compile = (program: unknown) => {
            programs.set(ops, program);
            return compile.call(backend, program);
          };
          const f = m.jitMod.jit((a: any) => paradoxForward(w, ops, [a]), jitOptions('wasm'));
          const xt = m.tracer.tensor(x, [x.length], 'float32');
          f(xt).dispose();
          xt.dispose();
          backend.compile = compile;
        }
        const program = programs.get(ops);
        if (!program) throw new Error('the jit compiled no program for the chain');
        const t0 = performance.now();
        const exe = backend.compile(program);
        const ms = performance.now() - t0;
        const input = backend.allocate('float32', x.length);
        backend.upload(input, x);
        const [out] = exe.run([input]);
        const result = backend.download(out) as Float32Array;
        for (const b of [input, out]) backend.free(b);
        exe.dispose();
        return { result, ms };
      } finally {
        backend.compile = compile;
        restore();
      }
    },
  };
}
