import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Started as `node <tsx cli>`, so a child whose PATH has no tools still starts.
const TSX = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const W1 = fileURLToPath(new URL('./child/w1.ts', import.meta.url));
const TIERS = fileURLToPath(new URL('./child/tiers.ts', import.meta.url));

export interface W1Report {
  invocations: number;
  maxError: number;
  /** CPU time of the threads the run started while the main thread spun (with W1_IDLE_CPU_MS). */
  idleCpuMs: number;
  /** CPU time the main thread spun for meanwhile: the reference the workers' time is compared to. */
  mainCpuMs: number;
  warnings: string[];
  reason: string | null;
}

export interface TiersReport {
  /** The tier that ran the first call. */
  firstRan: string | null;
  /** What ready() resolved with. */
  best: string;
  invocations: number;
  maxError: number;
}

/** Runs the W1 chain on 'c' in a fresh Node process with `env` added to this one's environment. */
export function runW1Child(env: Record<string, string | undefined>): Promise<W1Report> {
  return runChild<W1Report>(W1, env);
}

/** Runs plain jit (default tiers) on one program in a fresh Node process, waiting for the best tier. */
export function runTiersChild(env: Record<string, string | undefined>): Promise<TiersReport> {
  return runChild<TiersReport>(TIERS, env);
}

function runChild<T>(script: string, env: Record<string, string | undefined>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [TSX, '--conditions=@paradox/development', script],
      { env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        const line = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(line) as T);
        } catch {
          reject(new Error(`child printed no report:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
