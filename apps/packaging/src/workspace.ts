// The workspace's packages, read from the root package.json's workspace globs (one level: `dir/*`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}

export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** Every workspace package, in directory order. */
export function workspacePackages(): WorkspacePackage[] {
  const root = readManifest(join(ROOT, 'package.json'));
  const out: WorkspacePackage[] = [];
  for (const glob of root.workspaces ?? []) {
    const base = glob.replace(/\/\*$/, '');
    for (const name of readdirSync(join(ROOT, base)).sort()) {
      const file = join(ROOT, base, name, 'package.json');
      if (existsSync(file)) out.push({ dir: `${base}/${name}`, manifest: readManifest(file) });
    }
  }
  return out;
}

/** Public packages (not private), dependencies before dependents: the order to build and publish. */
export function publicPackagesInOrder(): WorkspacePackage[] {
  const pub = workspacePackages().filter((p) => p.manifest.private !== true);
  const byName = new Map(pub.map((p) => [p.manifest.name, p]));
  const done = new Set<string>();
  const order: WorkspacePackage[] = [];
  const visit = (p: WorkspacePackage, path: string[]): void => {
    if (done.has(p.manifest.name)) return;
    if (path.includes(p.manifest.name))
      throw new Error(`dependency cycle: ${[...path, p.manifest.name].join(' -> ')}`);
    const deps = { ...p.manifest.dependencies, ...p.manifest.peerDependencies };
    for (const dep of Object.keys(deps)) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p.manifest.name]);
    }
    done.add(p.manifest.name);
    order.push(p);
  };
  for (const p of pub) visit(p, []);
  return order;
}
