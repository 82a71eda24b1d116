#!/usr/bin/env node
// paradox-opt launcher. Built (dist/ present): runs the compiled entry in this process.
// From a source checkout: re-runs node with tsx and the `@paradox/development` condition, so every
// @paradox/* import resolves to its TypeScript source, and forwards the exit code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli-entry.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const source = fileURLToPath(new URL('../src/cli-entry.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  const child = spawnSync(
    process.execPath,
    ['--conditions=@paradox/development', '--import', tsx, source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (child.error) {
    process.stderr.write(`paradox-opt: could not start from source: ${child.error.message}\n`);
    process.exitCode = 3;
  } else {
    process.exitCode = child.status ?? 3;
  }
}
