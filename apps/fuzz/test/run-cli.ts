import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CampaignResult } from '../src/campaign.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** The seed every campaign of this test run uses: PARADOX_FUZZ_SEED, else a fresh one (printed). */
export const FUZZ_SEED = Number(process.env.PARADOX_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/**
 * Runs campaigns in a child process (`paradox-fuzz --json`). The child reports progress after every
 * document or batch; if it goes quiet for `silenceMs` (an endless loop in synchronous code cannot
 * be interrupted from inside), it is killed and the run fails as a hang naming the last progress.
 */
export function runCampaigns(
  selectors: string[],
  count: number,
  silenceMs = 120_000,
): Promise<CampaignResult[]> {
  return new Promise((resolve, reject) => {
    const args = [
      '--campaign',
      selectors.join(','),
      '--count',
      String(count),
      '--seed',
      String(FUZZ_SEED),
      '--json',
    ];
    const child = spawn(
      process.execPath,
      ['--conditions=@paradox/development', '--import', 'tsx', CLI, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // The campaign child is all this test waits on, so backend-c's background compiles may use
        // every core (its default is half, leaving the rest to a program running meanwhile).
        env: {
          ...process.env,
          PARADOX_COMPILE_JOBS: process.env.PARADOX_COMPILE_JOBS ?? String(availableParallelism()),
        },
      },
    );
    let stdout = '';
    let lastProgress = 'nothing yet';
    let watchdog = setTimeout(onSilence, silenceMs);
    function onSilence() {
      child.kill('SIGKILL');
      reject(
        new Error(`hang: no progress for ${silenceMs / 1000} s after ${lastProgress} (seed ${FUZZ_SEED})`),
      );
    }
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(onSilence, silenceMs);
      for (const line of d.toString().split('\n')) {
        if (line.startsWith('progress ')) lastProgress = line.slice('progress '.length);
        else if (line.trim() !== '') console.log(line);
      }
    });
    child.on('close', () => {
      clearTimeout(watchdog);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as CampaignResult[]);
      } catch {
        reject(
          new Error(`the fuzz process ended without results (seed ${FUZZ_SEED}):\n${stdout.slice(-2000)}`),
        );
      }
    });
  });
}
