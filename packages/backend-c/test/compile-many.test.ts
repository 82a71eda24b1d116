import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceBuffer } from '@paradox/backend';
import { GraphBuilder, interpret, type KernelProgram, type TypedArray } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import {
  type CBackend,
  CCompileError,
  CCompileManyError,
  compileQueue,
  compilerStats,
  createCBackend,
} from '../src/index.js';

const fresh = () => createCBackend({ cacheDir: mkdtempSync(join(tmpdir(), 'paradox-many-')), threads: 1 });
const available = fresh().unavailableReason === undefined;

/** x * k + y, then (steps > 1) negated and (steps > 2) multiplied by x: 2 to 4 kernels, unfused. */
function graphOf(n: number, k: number, steps: number) {
  const b = new GraphBuilder('many');
  const x = b.input('x', { dtype: 'float32', shape: [n] });
  const y = b.input('y', { dtype: 'float32', shape: [n] });
  let v = b.op('add', [b.op('mul', [x, b.op('constant', [], { value: k, dtype: 'float32' })]), y]);
  if (steps > 1) v = b.op('neg', [v]);
  if (steps > 2) v = b.op('mul', [v, x]);
  return b.output(v).build();
}

function inputsOf(n: number): TypedArray[] {
  return [
    Float32Array.from({ length: n }, (_, i) => i - 2.5),
    Float32Array.from({ length: n }, (_, i) => (i % 3) * 0.25),
  ];
}

function runOn(c: CBackend, exe: { run(b: DeviceBuffer[]): DeviceBuffer[] }, inputs: TypedArray[]) {
  const buffers = inputs.map((d) => {
    const buf = c.allocate('float32', d.length);
    c.upload(buf, d);
    return buf;
  });
  return exe.run(buffers).map((o) => Array.from(c.download(o)));
}

describe.skipIf(!available)('backend-c compileMany', () => {
  it('compiles each distinct program once, in parallel, and runs as compile() does', async () => {
    const c = fresh();
    // Sizes no other test compiles (loaded programs are shared per process, by source).
    const graphs = [graphOf(1013, 3, 1), graphOf(1019, 5, 2), graphOf(1013, 3, 1), graphOf(1021, 7, 3)];
    const programs = graphs.map((g) => lowerGraph(g));
    await c.compiler.probeAsync(); // the OpenMP probe of this fresh cache, so the count is programs only
    const before = compilerStats.invocations;
    compileQueue.peak = 0;
    const exes = await c.compileMany(programs);
    expect(compilerStats.invocations - before).toBe(3); // programs 0 and 2 are the same source
    expect(compileQueue.peak).toBeGreaterThanOrEqual(1);
    expect(compileQueue.peak).toBeLessThanOrEqual(Math.max(1, compileQueue.limit));
    expect(exes).toHaveLength(4);
    for (const [i, exe] of exes.entries()) {
      const inputs = inputsOf(programs[i]!.buffers[0]!.size);
      const want = interpret(graphs[i]!, inputs).map((t) => Array.from(t.data));
      expect(runOn(c, exe, inputs)).toEqual(want);
      // compile() of the same program loads what compileMany built: no compiler, same results.
      const single = c.compile(programs[i]!);
      expect(runOn(c, single, inputs)).toEqual(want);
      single.dispose();
      exe.dispose();
    }
    expect(compilerStats.invocations - before).toBe(3);
    // A second backend on the same disk cache (another process, say) finds every shared object there.
    const again = createCBackend({ cacheDir: c.compiler.cache.dir, threads: 1 });
    for (const p of programs)
      expect(again.compiler.cache.lookup(again.compiler.key(again.render(p)))).toBeDefined();
  });

  it('names the position of each program that fails, with its own error', async () => {
    // A compiler that rejects every program with a fourth kernel (only program 1 below).
    const dir = mkdtempSync(join(tmpdir(), 'paradox-many-cc-'));
    const cc = join(dir, 'cc');
    const real = process.env.CC || 'cc';
    writeFileSync(
      cc,
      `#!/bin/sh\nfor a; do case "$a" in *.c) f="$a";; esac; done\nif [ -n "$f" ] && grep -q '^// kernel k3:' "$f"; then echo "planted failure" >&2; exit 1; fi\nexec ${real} "$@"\n`,
    );
    chmodSync(cc, 0o755);
    const saved = process.env.CC;
    process.env.CC = cc;
    let c: CBackend;
    try {
      c = fresh();
    } finally {
      if (saved === undefined) delete process.env.CC;
      else process.env.CC = saved;
    }
    const programs: KernelProgram[] = [graphOf(1031, 2, 1), graphOf(1033, 2, 3), graphOf(1039, 2, 2)].map(
      (g) => lowerGraph(g),
    );
    const error = await c.compileMany(programs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CCompileManyError);
    const many = error as CCompileManyError;
    expect(many.failures.map((f) => f.index)).toEqual([1]);
    expect(many.failures[0]!.error).toBeInstanceOf(CCompileError);
    expect(many.message).toMatch(
      /^1 of 3 programs failed to compile:\nprogram 1: CCompileError: .*planted failure/s,
    );
    expect(many.cause).toBe(many.failures[0]!.error);
  });
});
