import type { WorkloadId } from './types.js';
import { WORKLOAD_IDS } from './workloads/index.js';

export interface CliOptions {
  quick: boolean;
  only?: WorkloadId[];
  /** Contender ids (or id prefixes) to run; all when absent. */
  contenders?: string[];
  baseline: string;
  limits: boolean;
  outDir?: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

  --quick                 the < 2 minute subset: fewer samples, smaller STREAM arrays, time caps,
                          Paradox on its default backend only (others: name them in --contenders)
  --only W1,W4a           run only these workloads (${WORKLOAD_IDS.join(', ')})
  --contenders a,b        run only contenders whose id starts with one of these
                          (paradox-eager-js, paradox-jit-js, js-fused, js-fused-tuned, js-matmul, tfjs-cpu, tfjs-wasm,
                           ort-1t, ort-2t, jax-eager, jax-jit, ...)
  --baseline ID           the contender ratios are taken against (default paradox-jit-js)
  --no-limits             skip the machine-limit probes (STREAM triad, FMA peak)
  --out DIR               where JSON and SVG go (default apps/bench/results)
  -h, --help              this text
`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { quick: false, baseline: 'paradox-jit-js', limits: true, help: false };
  const list = (v: string | undefined, flag: string): string[] => {
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a comma-separated list`);
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        o.quick = true;
        break;
      case '--full':
        o.quick = false;
        break;
      case '--only': {
        const ids = list(value(), '--only');
        const bad = ids.filter((id) => !WORKLOAD_IDS.includes(id as WorkloadId));
        if (bad.length)
          throw new Error(`unknown workload ${bad.join(', ')} (known: ${WORKLOAD_IDS.join(', ')})`);
        o.only = ids as WorkloadId[];
        break;
      }
      case '--contenders':
        o.contenders = list(value(), '--contenders');
        break;
      case '--baseline': {
        const v = value();
        if (!v) throw new Error('--baseline needs a contender id');
        o.baseline = v;
        break;
      }
      case '--no-limits':
        o.limits = false;
        break;
      case '--out': {
        const v = value();
        if (!v) throw new Error('--out needs a directory');
        o.outDir = v;
        break;
      }
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option ${a}\n\n${USAGE}`);
    }
  }
  return o;
}
