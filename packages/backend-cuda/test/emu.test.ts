import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCxx } from '../src/toolchain.js';
import { compileEmulated, FIXTURES, removeScratchDirs, runBinary, scratchDir } from './helpers.js';

// emu/cuda_emu.h, checked with hand-written kernels (test/fixtures/*.cu) against values computed
// by hand: a block reduction with shared memory and shuffles, warp scans and segments, a 2-D
// block, early exit, atomics, and the failure modes (deadlock, barrier in a Simple launch, bad launch).
const cxx = findCxx();
afterAll(removeScratchDirs);

describe.skipIf(!cxx)('CUDA CPU emulation header', () => {
  let binary: string;
  let lines: Map<string, number[]>;

  beforeAll(() => {
    binary = join(scratchDir('emu'), 'selftest');
    compileEmulated(cxx!.path, join(FIXTURES, 'emu_selftest.cpp'), binary);
    const { status, stdout, stderr } = runBinary(binary);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    lines = new Map(
      stdout
        .trim()
        .split('\n')
        .map((l) => {
          const [name, ...values] = l.split(' ');
          return [name!, values.map(Number)];
        }),
    );
  });

  it('reduces 100000 elements with grid-stride loads, shuffles and shared memory', () => {
    // x[i] = i % 7. Block b sums i = b*256 + t + 1024j; each block sees 98 or 97 full rows of 256
    // consecutive indices: 75264 = 256 * 294 = (sum of 0..6 = 21) * 256 * 14, and so on.
    const expected = [0, 1, 2, 3].map((b) => {
      let s = 0;
      for (let t = 0; t < 256; t++) for (let i = b * 256 + t; i < 100000; i += 1024) s += i % 7;
      return s;
    });
    expect(expected).toEqual([75264, 75264, 74977, 74490]);
    expect(lines.get('partial')).toEqual(expected);
    // total = sum over i < 100000 of i % 7 = 14285 full cycles * 21 + (0+1+2+3+4) = 299995;
    // 3 of the 4 partials exceed 74900 (__ballot_sync + __popc).
    expect(lines.get('total')).toEqual([299995, 3]);
  });

  it('scans a warp with __shfl_up_sync, including a partial second warp', () => {
    const scan = lines.get('scan')!;
    // x = 1..48: lanes 0..31 hold triangular numbers, the 16-lane second warp restarts at 33.
    expect(scan.slice(0, 32)).toEqual(Array.from({ length: 32 }, (_, i) => ((i + 1) * (i + 2)) / 2));
    expect(scan.slice(32)).toEqual(Array.from({ length: 16 }, (_, i) => ((33 + 33 + i) * (i + 1)) / 2));
  });

  it('honours the width argument of __shfl_xor_sync and __shfl_sync (16-lane segments)', () => {
    // segment 0: sum 0..15 = 120, lane 3 -> 3; segment 1: sum 16..31 = 376, its lane 3 -> 19.
    expect(lines.get('segments')).toEqual([...Array(16).fill(12003), ...Array(16).fill(37619)]);
  });

  it('gives each block its own shared memory and a 2-D thread index', () => {
    const expected = [0, 1].flatMap((b) =>
      Array.from({ length: 32 }, (_, flat) => {
        const r = flat % 4;
        const c = Math.floor(flat / 4);
        return r * 8 + c + 1000 * b;
      }),
    );
    expect(lines.get('block2d')).toEqual(expected);
  });

  it('lets threads that returned early skip later barriers', () => {
    expect(lines.get('early_exit')).toEqual(Array.from({ length: 40 }, (_, t) => 39 - t));
  });

  it('adds atomically across blocks', () => {
    expect(lines.get('atomic')).toEqual([150]); // 300 threads x 0.5
  });

  it('gives the same results through the portable ucontext fibers (CUDA_EMU_USE_UCONTEXT)', () => {
    const portable = join(scratchDir('emu-ucontext'), 'selftest');
    compileEmulated(cxx!.path, join(FIXTURES, 'emu_selftest.cpp'), portable, ['-DCUDA_EMU_USE_UCONTEXT']);
    const fast = runBinary(binary);
    const slow = runBinary(portable);
    expect(slow.status).toBe(0);
    expect(slow.stdout).toBe(fast.stdout);
    expect(runBinary(portable, ['deadlock']).status).toBe(70);
  });

  it('reports a deadlock instead of hanging', () => {
    const r = runBinary(binary, ['deadlock']);
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/deadlock/);
  });

  it('rejects a barrier inside a launch declared Simple', () => {
    const r = runBinary(binary, ['simple-sync']);
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/__syncthreads called in a kernel launched with Mode::Simple/);
  });

  it('rejects launches beyond CUDA limits', () => {
    const r = runBinary(binary, ['bad-launch']);
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/block exceeds 1024 threads/);
  });
});

if (!cxx)
  it.skip('CUDA CPU emulation header: needs a C++ compiler (g++, clang++ or PARADOX_CXX), none found', () => {});
