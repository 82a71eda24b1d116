import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/compile-without-eval.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

/** The fixture in a Node whose code generation from strings is off, as under a CSP without 'unsafe-eval'. */
function compileWithoutEval(): {
  compiled?: boolean;
  name?: string;
  typed?: boolean;
  cause?: string;
  message?: string;
} {
  const out = execFileSync(
    process.execPath,
    [
      '--disallow-code-generation-from-strings',
      '--conditions=@paradox/development',
      '--import',
      tsx,
      fixture,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('backend-js where eval is blocked', () => {
  it('throws CodeGenerationBlockedError naming the policy and the backends that need no eval', () => {
    const result = compileWithoutEval();
    expect(result.compiled).toBeUndefined();
    expect(result).toMatchObject({ name: 'CodeGenerationBlockedError', typed: true, cause: 'EvalError' });
    expect(result.message).toContain("'unsafe-eval'");
    expect(result.message).toContain('@paradox/backend-wasm');
    expect(result.message).toContain('@paradox/backend-wgsl');
  });
});
