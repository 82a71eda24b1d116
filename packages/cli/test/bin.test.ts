import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/paradox-opt.js', import.meta.url));

describe('bin/paradox-opt.js (subprocess smoke test)', () => {
  it('runs from source, prints the result and forwards exit codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-opt-bin-'));
    try {
      const input = join(dir, 'in.pdx');
      writeFileSync(
        input,
        'graph @f(%x: f32[2]) {\n  %0: f32[2] = neg %x\n  %1: f32[2] = neg %0\n  return %1\n}\n',
      );
      const ok = spawnSync(process.execPath, [bin, input, '--pipeline', 'fold,dce'], { encoding: 'utf8' });
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe('graph @f(%x: f32[2]) {\n  return %x\n}\n');
      expect(ok.status).toBe(0);

      const missing = spawnSync(process.execPath, [bin, join(dir, 'missing.pdx')], { encoding: 'utf8' });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
