import type { Contender } from '../types.js';
import { loadParadox, type ParadoxModules, paradoxForward } from './paradox.js';
import { unsupportedUnless } from './util.js';

/**
 * W5 "time to first result" of the tiered default: plain `jit(f)` (no backend option) with
 * backend-c imported, so a never-seen graph answers its first call on the quick default (js)
 * while C compiles in the background. The timed part is that first call; then, untimed, the
 * harness waits for the C tier (so it does not overlap the next sample) and this row checks that
 * C's result agrees with the first one.
 */
export function paradoxTiered(): Contender {
  let m: ParadoxModules;
  let pending: { f: any; xt: any; first: Float32Array } | undefined;
  return {
    id: 'paradox-jit-tiered',
    label: 'Paradox jit (default tiers), time to first result',
    group: 'paradox',
    threads: 1,
    async load() {
      m = await loadParadox();
      if (!m.jitMod) throw new Error(m.jitError ?? '@paradox/jit did not load');
      if (typeof m.backendMod.defaultTiers !== 'function')
        throw new Error('@paradox/backend does not export defaultTiers()');
      const tiers: string[] = m.backendMod.defaultTiers();
      if (tiers.length < 2) {
        const why = m.skipped.c ?? m.backendMod.getBackend('c')?.unavailableReason ?? 'no slower tier';
        throw new Error(`the default tiers are only ${tiers.join(', ')} (${why})`);
      }
    },
    unsupported: unsupportedUnless(['W5'], 'a compile-time figure'),
    async compile(w, ops, x) {
      const f = m.jitMod.jit((a: any) => paradoxForward(w, ops, [a]), { retraceWarning: false });
      const xt = m.tracer.tensor(x, [x.length], 'float32');
      const y = f(xt);
      const first = y.dataSync() as Float32Array;
      y.dispose();
      pending = { f, xt, first };
      return first;
    },
    async settle() {
      if (!pending) return;
      const { f, xt, first } = pending;
      pending = undefined;
      try {
        const tier = await f.ready(xt);
        const y = f(xt);
        const best = y.dataSync() as Float32Array;
        y.dispose();
        for (let i = 0; i < first.length; i++) {
          const d = Math.abs(best[i]! - first[i]!);
          if (!(d <= 1e-5 + 1e-5 * Math.abs(first[i]!)))
            throw new Error(
              `tier '${tier}' differs from the first result at [${i}]: ${best[i]} vs ${first[i]}`,
            );
        }
      } finally {
        f.clearCache();
        xt.dispose();
      }
    },
  };
}
