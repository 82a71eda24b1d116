import { describe, expect, it } from 'vitest';
import { type CpuSample, measureCpuContention, sampleCpu } from '../src/cpu-contention.js';

describe('cpu contention', () => {
  it("counts the machine's busy time minus this process's own as other processes' share", () => {
    const samples: CpuSample[] = [
      { wallMs: 0, machineBusyMs: 5_000, ownMs: 100 },
      // 1 s on 2 cores: 1,500 ms busy, 1,100 of it ours -> others 400 / 2,000 = 20%.
      { wallMs: 1_000, machineBusyMs: 6_500, ownMs: 1_200 },
    ];
    const end = measureCpuContention(() => samples.shift()!, 2, 0.5);
    expect(end()).toEqual({ loadAtStart: 0.5, othersShare: 0.2 });
  });

  it('clamps to 0..1 (per-core counters tick coarsely)', () => {
    const quiet = [
      { wallMs: 0, machineBusyMs: 0, ownMs: 0 },
      { wallMs: 1_000, machineBusyMs: 990, ownMs: 1_000 },
    ];
    expect(measureCpuContention(() => quiet.shift()!, 2, 0)().othersShare).toBe(0);
  });

  it('reads real counters: busy time grows at least by the CPU this process burns', () => {
    // Spins for 100 ms of this process's CPU time (not wall time: on a loaded machine 100 ms of
    // wall time can be much less CPU), so both counters must show at least that much.
    const cpuMs = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const a = sampleCpu();
    const start = cpuMs();
    let x = 0;
    while (cpuMs() - start < 100) x += Math.sqrt(x + 1);
    const b = sampleCpu();
    expect(x).toBeGreaterThan(0);
    expect(b.ownMs - a.ownMs).toBeGreaterThanOrEqual(100);
    expect(b.machineBusyMs - a.machineBusyMs).toBeGreaterThan(50);
  });
});
