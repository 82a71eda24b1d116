import { join } from 'node:path';
import { publicPackagesInOrder, ROOT } from '../workspace.js';
import { run } from './exec.js';

/** Builds every public package (turbo, dependencies first) and packs it: package name -> tarball path. */
export function buildAndPack(dest: string): Map<string, string> {
  const pkgs = publicPackagesInOrder();
  run(
    'npx',
    ['turbo', 'run', 'build', '--output-logs=errors-only', ...pkgs.map((p) => `--filter=${p.manifest.name}`)],
    ROOT,
  );
  // prepack would build each package again; turbo just did, in dependency order.
  const out = run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, ...pkgs.flatMap((p) => ['-w', p.dir])],
    ROOT,
  );
  const packed = JSON.parse(out) as { name: string; filename: string; files: { path: string }[] }[];
  const tarballs = new Map<string, string>();
  for (const p of packed) {
    const paths = p.files.map((f) => f.path);
    for (const needed of ['LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
      if (!paths.includes(needed)) throw new Error(`${p.name}'s tarball lacks ${needed}`);
    }
    tarballs.set(p.name, join(dest, p.filename));
  }
  return tarballs;
}

/** dependencies + overrides that install `names` (and every Paradox package they need) from the tarballs. */
export function tarballDependencies(
  tarballs: Map<string, string>,
  names: readonly string[],
): { dependencies: Record<string, string>; overrides: Record<string, string> } {
  const spec = (name: string) => `file:${tarballs.get(name)}`;
  const dependencies = Object.fromEntries(names.map((n) => [n, spec(n)]));
  // A transitive @paradox/* dependency resolves to its tarball too, never to the registry.
  const overrides = Object.fromEntries([...tarballs.keys()].map((n) => [n, spec(n)]));
  return { dependencies, overrides };
}
