import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK } from '../src/index.js';
import { runCli } from './run-cli.js';

/** x0 + x1 + ... + x14: one fused kernel would bind 16 storage buffers. */
const inputs = Array.from({ length: 15 }, (_, i) => `%x${i}: f32[4]`).join(', ');
const adds = Array.from(
  { length: 14 },
  (_, i) => `  %${i + 1}: f32[4] = add ${i === 0 ? '%x0' : `%${i}`}, %x${i + 1}`,
);
const WIDE = `graph @wide(${inputs}) {\n${adds.join('\n')}\n  return %14\n}\n`;

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paradox-opt-caps-'));
  input = join(dir, 'wide.pdx');
  writeFileSync(input, WIDE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paradox-opt gives the passes the backend capabilities (issue #18 item 4)', () => {
  it('--backend wgsl --emit code prints shaders within WebGPU’s 8 storage buffers', async () => {
    const r = await runCli([input, '--pipeline', 'default', '--backend', 'wgsl', '--emit', 'code']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT_OK);
    const shaders = r.stdout.split(/(?=@group\(0\) @binding\(0\))/).filter((s) => s.includes('@binding'));
    expect(shaders.length).toBeGreaterThan(1);
    for (const shader of shaders) expect(shader.match(/@binding\(/g)!.length).toBeLessThanOrEqual(8);
  });

  it('the fusion report says which kernels the limit split, and js (256 buffers) fuses all', async () => {
    const wgsl = await runCli([
      input,
      '--pipeline',
      'default',
      '--backend',
      'wgsl',
      '--emit',
      'fusion-report',
    ]);
    expect(wgsl.stdout).toMatch(/kernel would touch \d+ buffers > backend limit 8/);
    const js = await runCli([input, '--pipeline', 'default', '--backend', 'js', '--emit', 'fusion-report']);
    expect(js.stdout).toMatch(/^fusion: 1 kernel\(s\)/);
  });
});
