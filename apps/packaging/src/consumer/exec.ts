import { spawnSync } from 'node:child_process';

/** Runs a command; throws with its output when it fails. Returns stdout. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}\n${r.stdout ?? ''}\n${r.stderr ?? ''}`,
    );
  }
  return r.stdout;
}

/** Times a step and prints it. */
export async function step<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  process.stdout.write(`consumer: ${name} ...\n`);
  const result = await f();
  process.stdout.write(`consumer: ${name} done in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  return result;
}
