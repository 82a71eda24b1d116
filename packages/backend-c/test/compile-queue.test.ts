import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { CompileQueue, defaultCompileJobs } from '../src/index.js';

describe('backend-c compile queue', () => {
  const saved = process.env.PARADOX_COMPILE_JOBS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PARADOX_COMPILE_JOBS;
    else process.env.PARADOX_COMPILE_JOBS = saved;
  });

  it('runs PARADOX_COMPILE_JOBS compilers at once, else half the cores', () => {
    process.env.PARADOX_COMPILE_JOBS = '3';
    expect(defaultCompileJobs()).toBe(3);
    const half = Math.max(1, Math.floor(availableParallelism() / 2));
    for (const bad of ['0', '-2', '1.5', 'many', '']) {
      process.env.PARADOX_COMPILE_JOBS = bad;
      expect(defaultCompileJobs()).toBe(half);
    }
    delete process.env.PARADOX_COMPILE_JOBS;
    expect(defaultCompileJobs()).toBe(half);
  });

  it('never runs more tasks than its limit, and runs every task', async () => {
    const queue = new CompileQueue(3);
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.run(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(queue.peak).toBe(3);
    expect(queue.running).toBe(0);
  });
});
