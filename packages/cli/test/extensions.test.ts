import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_INPUT_ERROR, EXIT_OK } from '../src/index.js';
import { runCli } from './run-cli.js';

const TEXT = 'graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x\n  %1: f32[2] = neg %0\n  return %1\n}\n';

let dir: string;
let input: string;
beforeAll(() => {
  // Inside the repository, so the module resolves @paradox/* as an installed plugin would.
  dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.tmp-ext-'));
  input = join(dir, 'in.pdx');
  writeFileSync(input, TEXT);
  // A module file that registers a pass, as a third-party package would.
  writeFileSync(
    join(dir, 'tag-pass.mjs'),
    `import { registerPass } from '@paradox/pass-manager';
registerPass({ name: 'test-cli-tag', run: (graph) => ({ graph: { ...graph, name: 'tagged' }, changed: true }) });
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paradox-opt --load and --insert (issue #15 item 5)', () => {
  it('loads a module file relative to the working directory and inserts its pass at a point', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli([
        input,
        '--load',
        './tag-pass.mjs',
        '--pipeline',
        'fold,dce',
        '--insert',
        'after:dce=test-cli-tag',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(EXIT_OK);
      expect(r.stdout).toBe('graph @tagged(%x: f32[2]) {\n  return %x\n}\n');
    } finally {
      process.chdir(cwd);
    }
  });

  it('reports a missing module, a missing insertion point and a malformed insertion as input errors', async () => {
    const missing = await runCli([input, '--load', join(dir, 'nope.mjs'), '--pipeline', 'dce']);
    expect(missing.code).toBe(EXIT_INPUT_ERROR);
    expect(missing.stderr).toMatch(/--load '.*nope\.mjs': cannot import it/);
    const point = await runCli([input, '--pipeline', 'fold,dce', '--insert', 'after:cse=dce']);
    expect(point.code).toBe(EXIT_INPUT_ERROR);
    expect(point.stderr).toMatch(
      /InsertionPointError: no pass 'cse' in the pipeline .*insertion points: before:fold, after:fold, before:dce, after:dce/,
    );
    const malformed = await runCli([input, '--pipeline', 'dce', '--insert', 'dce']);
    expect(malformed.code).toBe(EXIT_INPUT_ERROR);
    expect(malformed.stderr).toMatch(/'dce' is not an insertion: expected before:PASS=PIPELINE/);
  });
});
