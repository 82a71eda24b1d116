import type { Backend, Executable } from '@paradox/backend';
import type { Graph } from '@paradox/ir';
import { randomGraph } from '@paradox/ir/testing';
import { fusionPass } from '@paradox/pass-fusion';
import { lowerGraph } from '@paradox/pass-lower';
import { silentLogger } from '@paradox/pass-manager';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceCase, conformanceCases } from './cases.js';
import { DEFAULT_TOLERANCE, type Tolerance } from './compare.js';
import { checkPartialOutputsAreZero } from './partial-output.js';
import { checkAgainstReference, missingCapabilities } from './run-case.js';

export { type ConformanceCase, conformanceCases } from './cases.js';
export { compareArrays, DEFAULT_TOLERANCE, type Tolerance } from './compare.js';
export { checkPartialOutputsAreZero } from './partial-output.js';
export { checkAgainstReference, execute, flushSubnormals, missingCapabilities } from './run-case.js';

export interface ConformanceOptions {
  /** Float tolerance (default rtol 1e-5, atol 1e-5). */
  tolerance?: Partial<Tolerance>;
  /** Skip cases whose name matches, with the reason (reported by vitest as skipped). */
  skip?: { pattern: RegExp; reason: string }[];
  /** fast-check runs of the random-graph property (default 40; 0 skips it). */
  randomGraphRuns?: number;
  /** Require the reference's sign of zero in cases that test it (default true). */
  zeroSign?: boolean;
}

/**
 * Declares the backend conformance suite with vitest: every case of `conformanceCases()` is lowered
 * with @paradox/pass-lower, compiled by the backend and compared with the reference interpreter
 * (exact for int32/bool, `tolerance` for floats, NaN where NaN). Cases needing a dtype or op the
 * backend does not declare in its capabilities are skipped, visibly. All programs are compiled
 * up front, concurrently, so backends with slow (async) compilers batch their work.
 */
export function describeBackendConformance(
  name: string,
  factory: () => Backend | Promise<Backend>,
  options: ConformanceOptions = {},
): void {
  const tolerance = { ...DEFAULT_TOLERANCE, ...options.tolerance };
  const groups = conformanceCases();
  const all = Object.values(groups).flat();
  let backend: Backend;
  const compiled = new Map<ConformanceCase, Promise<Executable>>();
  const programs = new Map<ConformanceCase, ReturnType<typeof lowerGraph>>();
  const skipReason = (c: ConformanceCase): string | undefined =>
    options.skip?.find((s) => s.pattern.test(c.name))?.reason;

  describe(`backend conformance: ${name}`, () => {
    beforeAll(async () => {
      backend = await factory();
      for (const c of all) {
        if (skipReason(c) || missingCapabilities(backend, c.graph)) continue;
        // Started now, awaited by the case's own test (so one failure fails one test).
        const program = lowerGraph(c.graph);
        programs.set(c, program);
        const p = Promise.resolve().then(() => backend.compile(program));
        p.catch(() => {});
        compiled.set(c, p);
      }
    });

    for (const [area, cases] of Object.entries(groups)) {
      describe(area, () => {
        for (const c of cases) {
          const reason = skipReason(c);
          if (reason) {
            it.skip(`${c.name} (skipped: ${reason})`, () => {});
            continue;
          }
          it(c.name, async (ctx) => {
            const missing = missingCapabilities(backend, c.graph);
            if (missing) {
              ctx.skip(`backend lacks ${missing}`);
              return;
            }
            const exe = await compiled.get(c)!;
            try {
              await checkAgainstReference(backend, exe, c.graph, programs.get(c)!, c.inputs, {
                tolerance: { ...tolerance, ...c.tolerance },
                zeroSign: (options.zeroSign ?? true) && c.zeroSign === true,
                flushesSubnormals:
                  c.subnormals === true && backend.capabilities.numerics?.flushesSubnormals === true,
              });
            } finally {
              exe.dispose();
            }
          });
        }
      });
    }

    it("outputs a program does not fully write are zeros, never a freed tensor's data", async () => {
      expect(await checkPartialOutputsAreZero(backend)).toBeUndefined();
    });

    const runs = options.randomGraphRuns ?? 40;
    const randomGraphs = (title: string, prepare: (graph: Graph) => Graph) =>
      (runs > 0 ? it : it.skip)(title, async () => {
        let checked = 0;
        await fc.assert(
          fc.asyncProperty(
            randomGraph(fc, { maxSteps: 6, specialValues: true }),
            async ({ graph, inputs }) => {
              if (missingCapabilities(backend, graph)) return;
              const program = lowerGraph(prepare(graph));
              const exe = await backend.compile(program);
              try {
                await checkAgainstReference(
                  backend,
                  exe,
                  graph,
                  program,
                  inputs.map((t) => t.data),
                  {
                    tolerance: { rtol: Math.max(tolerance.rtol, 1e-4), atol: Math.max(tolerance.atol, 1e-4) },
                  },
                );
              } finally {
                exe.dispose();
              }
              checked++;
            },
          ),
          { numRuns: runs, seed: 20240601 },
        );
        expect(checked).toBeGreaterThan(0);
      });
    randomGraphs('random graphs agree with the reference interpreter', (graph) => graph);
    // The same graphs grouped by the fusion pass under this backend's capabilities (max buffers per
    // kernel, supported ops): fused kernels must compute what the ops did one by one.
    randomGraphs('random graphs, fused for this backend, agree with the reference interpreter', (graph) =>
      fuseFor(backend, graph),
    );
  });
}

/** The graph with fusion groups assigned by @paradox/pass-fusion for `backend`'s capabilities. */
function fuseFor(backend: Backend, graph: Graph): Graph {
  const ctx = { options: {}, logger: silentLogger, outputs: {}, capabilities: backend.capabilities };
  return fusionPass.run(graph, ctx).graph;
}
