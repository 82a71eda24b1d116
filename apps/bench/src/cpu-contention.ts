import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * How much CPU other processes took during a run. The load average cannot tell: the bench itself
 * runs 2-thread probes and peers, so it reads ~2 at the end of every full run on 2 cores. Instead
 * this compares the machine's busy CPU time (all cores) with this process's own (every thread,
 * plus the probe binaries it ran and waited for).
 */
export interface CpuContention {
  /** 1-minute load average when the run started. */
  loadAtStart: number;
  /** CPU time used by other processes ÷ (wall time × cores), 0..1. */
  othersShare: number;
}

export interface CpuSample {
  wallMs: number;
  machineBusyMs: number;
  ownMs: number;
}

function machineBusyMs(): number {
  return cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
}

/** This process's CPU time in ms, plus that of the children it has waited for (Linux only). */
function ownMs(): number {
  const { user, system } = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100 Hz).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    // Not Linux: children's time is unknown and counts as other processes'.
  }
  return (user + system) / 1000 + (Number.isFinite(children) ? children : 0);
}

export function sampleCpu(): CpuSample {
  return { wallMs: performance.now(), machineBusyMs: machineBusyMs(), ownMs: ownMs() };
}

/** Starts measuring; call the result at the end of the run. */
export function measureCpuContention(
  sample: () => CpuSample = sampleCpu,
  cores = cpus().length,
  loadAtStart = loadavg()[0]!,
): () => CpuContention {
  const start = sample();
  return () => {
    const end = sample();
    const capacity = (end.wallMs - start.wallMs) * cores;
    const others = end.machineBusyMs - start.machineBusyMs - (end.ownMs - start.ownMs);
    return { loadAtStart, othersShare: capacity > 0 ? Math.min(1, Math.max(0, others / capacity)) : 0 };
  };
}
