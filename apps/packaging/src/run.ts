/**
 * The consumer test: packs every public package, installs the tarballs into a fresh project outside
 * the workspace and uses them as a user would: Node ESM and CJS, strict TypeScript (nodenext, bundler,
 * node10; TypeScript 6 and 7), pages built with esbuild, Vite and webpack 5 run in headless Chromium
 * (js and WebGPU backends, a CSP without 'unsafe-eval'), and the install size of @paradox/backend-js.
 *   npm run consumer [-- --keep]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kib, largest, overBudget } from './bundle-size.js';
import { EXPECTED, NODE_CJS, NODE_ESM } from './consumer/app-files.js';
import { runPages } from './consumer/browser.js';
import { buildPages } from './consumer/bundle.js';
import { run, step } from './consumer/exec.js';
import { installAlone } from './consumer/install-size.js';
import { buildAndPack, tarballDependencies } from './consumer/pack.js';
import { typecheckAll } from './consumer/typecheck.js';

/** Every public package except the conformance suite (a dev tool whose peers are vitest and fast-check). */
const skipInApp = new Set(['@paradox/backend-conformance']);

async function main(): Promise<void> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'paradox-consumer-'));
  const report: string[] = [];
  try {
    const tarballDir = join(root, 'tarballs');
    mkdirSync(tarballDir);
    const tarballs = await step('build and pack', () => buildAndPack(tarballDir));
    report.push(`packed ${tarballs.size} packages`);

    const app = join(root, 'app');
    mkdirSync(app);
    const names = [...tarballs.keys()].filter((n) => !skipInApp.has(n));
    const { dependencies, overrides } = tarballDependencies(tarballs, names);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'paradox-consumer',
          private: true,
          type: 'module',
          dependencies: { ...dependencies, '@types/node': '^20.19.0' },
          overrides,
        },
        null,
        2,
      ),
    );
    await step('npm install (fresh project)', () =>
      run('npm', ['install', '--no-fund', '--no-audit', '--ignore-scripts'], app),
    );

    await step('node', () => {
      writeFileSync(join(app, 'main.mjs'), NODE_ESM);
      writeFileSync(join(app, 'main.cjs'), NODE_CJS);
      const expected = JSON.stringify(EXPECTED);
      for (const [what, args] of [
        ['ESM', ['main.mjs']],
        ['CJS (require)', ['main.cjs']],
        ['ESM with --conditions=development', ['--conditions=development', 'main.mjs']],
      ] as const) {
        const out = run(process.execPath, [...args], app).trim();
        if (out !== expected) throw new Error(`node ${what}: ${out}, expected ${expected}`);
        report.push(`node ${what}: ${out}`);
      }
      const version = run('npx', ['--no-install', 'paradox-opt', '--version'], app).trim();
      if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`paradox-opt --version printed ${version}`);
      report.push(`paradox-opt --version: ${version}`);
    });

    report.push(...(await step('typescript', () => typecheckAll(app))));

    const { pages, jsOnly } = await step('bundle (esbuild, vite, webpack)', () => buildPages(app));
    report.push(
      `esbuild minified bundle of @paradox/core (js backend only): ${kib(jsOnly.bytes)} (${largest(jsOnly)})`,
    );
    const over = overBudget(jsOnly);
    if (over.length) throw new Error(over.join('; '));
    report.push(...(await step('chromium', () => runPages(app, pages))));

    const alone = await step('install @paradox/backend-js alone', () =>
      installAlone(root, tarballs, '@paradox/backend-js'),
    );
    report.push(
      `@paradox/backend-js alone: ${alone.packages.length} packages (${alone.packages.join(', ')}), ${(alone.bytes / 1e6).toFixed(2)} MB`,
    );
  } finally {
    if (process.argv.includes('--keep')) report.push(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  for (const line of report) console.log(`  ${line}`);
  console.log(`consumer test passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
