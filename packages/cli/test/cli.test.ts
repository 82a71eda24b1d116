import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeGraph, interpret, parseGraph, printGraph, serializeGraph } from '@paradox/ir';
import { type Pass, registerPass, unregisterPass } from '@paradox/pass-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_INPUT_ERROR, EXIT_OK, EXIT_PASS_FAILURE, listEmitters } from '../src/index.js';
import { runCli } from './run-cli.js';

const TEXT = `graph @f(%x: f32[4], %b: f32[4]) {
  %0: f32[4] = add %x, %b
  %1: f32[4] = add %b, %x
  %2: f32[4] = mul %0, %1
  %3: f32[4] = exp %x
  return %2
}
`;
const OPTIMIZED = `graph @f(%x: f32[4], %b: f32[4]) {
  %0: f32[4] = add %x, %b
  %2: f32[4] = mul %0, %0
  return %2
}
`;

/** Deliberately broken: throws on any graph with a mul. */
const brokenPass: Pass = {
  name: 'test-cli-broken',
  run(graph) {
    if (graph.nodes.some((n) => n.op === 'mul')) throw new Error('mul is not supported here');
    return { graph, changed: false };
  },
};

let dir: string;
let pdx: string;
let json: string;
beforeAll(() => {
  registerPass(brokenPass);
  dir = mkdtempSync(join(tmpdir(), 'paradox-opt-test-'));
  pdx = join(dir, 'in.pdx');
  json = join(dir, 'in.json');
  writeFileSync(pdx, TEXT);
  writeFileSync(json, serializeGraph(parseGraph(TEXT)));
});
afterAll(() => {
  unregisterPass(brokenPass.name);
  rmSync(dir, { recursive: true, force: true });
});

describe('paradox-opt', () => {
  it('reads text, runs the pipeline and prints IR text', async () => {
    const r = await runCli([pdx, '--pipeline', 'cse,dce']);
    expect(r).toEqual({ code: EXIT_OK, stdout: OPTIMIZED, stderr: '' });
  });

  it('reads JSON by extension and by sniffing, and emits JSON', async () => {
    const sniffed = join(dir, 'graph.ir');
    writeFileSync(sniffed, readFileSync(json));
    for (const file of [json, sniffed]) {
      const r = await runCli([file, '--pipeline', 'fixpoint(cse,dce)', '--emit', 'json']);
      expect(r.code).toBe(EXIT_OK);
      const out = deserializeGraph(r.stdout);
      expect(printGraph(out)).toBe(OPTIMIZED);
      const x = new Float32Array([1, 2, 3, 4]);
      const b = new Float32Array([0.5, -1, 2, -8]);
      expect(interpret(out, [x, b])[0]!.data).toEqual(new Float32Array([2.25, 1, 25, 16]));
    }
  });

  it('without --pipeline only reads, verifies and re-emits', async () => {
    const r = await runCli([json]);
    expect(r.stdout).toBe(TEXT);
    expect(r.code).toBe(EXIT_OK);
  });

  it('prints IR after passes, timing and statistics to stderr', async () => {
    const r = await runCli([pdx, '--pipeline', 'dce,cse,dce', '--print-changed', '--timing', '--stats']);
    expect(r.stdout).toBe(OPTIMIZED);
    const banners = r.stderr.split('\n').filter((l) => l.startsWith('// -----//'));
    expect(banners).toEqual([
      '// -----// IR after dce //----- //',
      '// -----// IR after cse //----- //',
      // (the second dce changes nothing: cse already dropped the merged node)
    ]);
    expect(r.stderr).toMatch(/pass timing \(total [\d.]+ ms\)\n\s+[\d.]+ ms\s+[\d.]+%\s+(dce|cse)\s+x\d/);
    expect(r.stderr).toContain('dce.nodesRemoved = 1');
    expect(r.stderr).toContain('cse.nodesMerged = 1');

    const all = await runCli([pdx, '--pipeline', 'dce,cse', '--print-after-all']);
    expect(all.stderr.match(/IR after/g)).toHaveLength(2);
  });

  it('exits 2 naming the failing pass, and writes a reproducer paradox-opt can replay', async () => {
    const reproDir = join(dir, 'repro');
    const r = await runCli([pdx, '--pipeline', 'dce,test-cli-broken', '--reproducer-dir', reproDir]);
    expect(r.code).toBe(EXIT_PASS_FAILURE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/PassFailedError: pass 'test-cli-broken' failed/);
    expect(r.stderr).toMatch(/passes before it: dce/);
    const [file] = readdirSync(reproDir);
    expect(r.stderr).toContain(join(reproDir, file!));

    const replay = await runCli([join(reproDir, file!)]);
    expect(replay.code).toBe(EXIT_PASS_FAILURE);
    expect(replay.stderr).toMatch(/pass 'test-cli-broken' failed[\s\S]*mul is not supported here/);
    const overridden = await runCli([join(reproDir, file!), '--pipeline', 'cse']);
    expect(overridden.code).toBe(EXIT_OK);
  });

  it('exits 2 when a fixpoint group does not converge', async () => {
    const restless: Pass = { name: 'test-cli-restless', run: (graph) => ({ graph, changed: true }) };
    registerPass(restless);
    try {
      const r = await runCli([pdx, '--pipeline', 'fixpoint(test-cli-restless)']);
      expect(r.code).toBe(EXIT_PASS_FAILURE);
      expect(r.stderr).toMatch(/FixpointNotConvergedError: fixpoint\(test-cli-restless\) did not converge/);
    } finally {
      unregisterPass(restless.name);
    }
  });

  it.each([
    ['a missing file', () => [join(dir, 'nope.pdx')], /InputError: .*nope\.pdx: no such file/],
    ['no input', () => ['--pipeline', 'dce'], /missing input file/],
    ['an unknown flag', () => [pdx, '--frobnicate'], /Unknown option '--frobnicate'/],
    [
      'an unknown pass',
      () => [pdx, '--pipeline', 'dce,nope'],
      /UnknownPassError: unknown pass 'nope'; registered passes: .*cse, dce, fold/,
    ],
    ['a malformed pipeline', () => [pdx, '--pipeline', 'dce,(cse'], /PipelineParseError: .*position 4/],
    [
      'an unknown emitter',
      () => [pdx, '--emit', 'pdf'],
      /EmitError: unknown --emit 'pdf'; available: code, fusion-report, ir, json/,
    ],
  ])('exits 1 on %s', async (_, argv, message) => {
    const r = await runCli(argv());
    expect(r.code).toBe(EXIT_INPUT_ERROR);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it("exits 1 with the IR reader's typed error on bad IR text and bad JSON", async () => {
    const badText = join(dir, 'bad.pdx');
    writeFileSync(badText, TEXT.replace('add %x, %b', 'frob %x, %b'));
    const text = await runCli([badText]);
    expect(text.code).toBe(EXIT_INPUT_ERROR);
    expect(text.stderr).toMatch(/paradox-opt: \w+Error: .*frob/);

    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"irVersion": "1.0", "kind": "graph", "graph": {');
    const parsed = await runCli([badJson]);
    expect(parsed.code).toBe(EXIT_INPUT_ERROR);
    expect(parsed.stderr).toMatch(/paradox-opt: SerializationError/);
  });

  it('has the ir, json, code and fusion-report emitters registered', () => {
    expect(listEmitters()).toEqual(['code', 'fusion-report', 'ir', 'json']);
  });

  it('emits backend source after lowering, one kernel per fused group', async () => {
    const fused = await runCli([
      pdx,
      '--pipeline',
      'fixpoint(dce,cse,fold),fusion',
      '--emit',
      'code',
      '--backend',
      'js',
    ]);
    expect(fused.stderr).toBe('');
    expect(fused.code).toBe(EXIT_OK);
    expect(fused.stdout.match(/^\/\/ kernel \d+$/gm)).toEqual(['// kernel 0']);
    const unfused = await runCli([pdx, '--pipeline', 'cse,dce', '--emit', 'code', '--backend', 'js']);
    expect(unfused.stdout.match(/^\/\/ kernel \d+$/gm)!.length).toBeGreaterThan(1);
  });

  it('emits the fusion report of a pipeline that runs fusion', async () => {
    const r = await runCli([pdx, '--pipeline', 'fixpoint(dce,cse,fold),fusion', '--emit', 'fusion-report']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^fusion: 1 kernel\(s\) for @f/);
    const without = await runCli([pdx, '--pipeline', 'dce', '--emit', 'fusion-report']);
    expect(without.code).toBe(EXIT_INPUT_ERROR);
    expect(without.stderr).toMatch(/needs a pipeline that runs 'fusion'/);
  });

  it.each([
    [[], /--emit code needs --backend NAME/],
    [['--backend', 'no-such-backend'], /unknown backend 'no-such-backend'/],
    [['--backend', '../evil'], /'..\/evil' is not a backend name/],
  ])('exits 1 on --emit code %j', async (extra, message) => {
    const r = await runCli([pdx, '--emit', 'code', ...extra]);
    expect(r.code).toBe(EXIT_INPUT_ERROR);
    expect(r.stderr).toMatch(message);
  });

  it('prints usage on --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^usage: paradox-opt/);
    expect(r.stdout).toMatch(/^ {2}dce +remove nodes, constants and buffers whose results are unused/m);
    expect(r.stdout).toMatch(/^ {2}fusion-report +the fusion report/m);
  });

  it.each([['--version'], ['-V']])('prints the package version on %s', async (flag) => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const r = await runCli([flag]);
    expect(r).toEqual({ code: EXIT_OK, stdout: `${manifest.version}\n`, stderr: '' });
  });
});
