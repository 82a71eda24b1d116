import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { tarballDependencies } from './pack.js';

/** Test frameworks must never reach a user's install. */
const FORBIDDEN = ['vitest', 'fast-check', 'playwright-core', 'vite', 'esbuild', 'webgpu'];

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Installed packages: every folder of node_modules with a package.json (nested ones too). */
function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@')
      ? readdirSync(join(nodeModules, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of dirs) {
      if (!existsSync(join(nodeModules, name, 'package.json'))) continue;
      names.push(name);
      const nested = join(nodeModules, name, 'node_modules');
      if (existsSync(nested)) names.push(...installedPackages(nested));
    }
  }
  return names;
}

/** Installs `name` alone into a fresh project; returns its package list and node_modules size. */
export function installAlone(
  root: string,
  tarballs: Map<string, string>,
  name: string,
): { packages: string[]; bytes: number } {
  const dir = join(root, `alone-${name.replace(/[@/]/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  const { dependencies, overrides } = tarballDependencies(tarballs, [name]);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'alone', private: true, dependencies, overrides }, null, 2),
  );
  run('npm', ['install', '--no-fund', '--no-audit', '--ignore-scripts'], dir);
  const packages = installedPackages(join(dir, 'node_modules'));
  const forbidden = packages.filter((p) => FORBIDDEN.includes(p));
  if (forbidden.length) throw new Error(`installing ${name} alone brings ${forbidden.join(', ')}`);
  return { packages, bytes: bytesUnder(join(dir, 'node_modules')) };
}
