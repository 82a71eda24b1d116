/**
 * withDeadline decides by the clock, not by which of two ready events the event loop runs first:
 * the compile-timeout test once lost a race in which the pipeline's answer and the 20 ms timer
 * were both ready after the loop had been busy, and the answer was accepted.
 */
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../src/runtime/deadline.js';
import { WebGpuTimeoutError } from '../src/runtime/errors.js';

/** Keeps the event loop busy for `ms` (so a timer due meanwhile cannot run). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withDeadline', () => {
  it('passes through a value or an error that comes in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'compile', 'kernel 1')).resolves.toBe(7);
    const error = new Error('bad shader');
    await expect(withDeadline(Promise.reject(error), 1000, 'compile', 'kernel 1')).rejects.toBe(error);
  });

  it('rejects when nothing comes before the timer', async () => {
    const never = new Promise<number>(() => {});
    const err = await withDeadline(never, 5, 'sync', 'kernel 2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuTimeoutError);
    expect((err as WebGpuTimeoutError).stage).toBe('sync');
    expect((err as WebGpuTimeoutError).timeoutMs).toBe(5);
  });

  // The answer's callback runs (a microtask) before the overdue timer (the next timers phase): the
  // order that once let a late pipeline through. Deterministic, with no device.
  it.each([
    ['a value', (d: ReturnType<typeof deferred<number>>) => d.resolve(1)],
    ['an error', (d: ReturnType<typeof deferred<number>>) => d.reject(new Error('late failure'))],
  ])('rejects %s first seen after the deadline, even before the timer runs', async (_, settle) => {
    const d = deferred<number>();
    const bounded = withDeadline(d.promise, 20, 'compile', 'kernel 4');
    busy(40);
    settle(d);
    const err = await bounded.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuTimeoutError);
    const timeout = err as WebGpuTimeoutError;
    expect(timeout.stage).toBe('compile');
    expect(timeout.label).toBe('kernel 4');
    expect(timeout.timeoutMs).toBe(20);
    await timeout.settled;
  });

  it('waits forever when the bound is Infinity', async () => {
    const d = deferred<number>();
    const bounded = withDeadline(d.promise, Number.POSITIVE_INFINITY, 'run', 'kernel 5');
    busy(5);
    d.resolve(3);
    await expect(bounded).resolves.toBe(3);
  });
});
