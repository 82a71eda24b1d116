import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a JavaScript TypeDoc plugin (typedoc loads plugins as .mjs), typed by its JSDoc
import { specifierOf } from '../src/typedoc-package-modules.mjs';
import {
  type Manifest,
  publicPackagesInOrder,
  ROOT,
  type WorkspacePackage,
  workspacePackages,
} from '../src/workspace.js';

const all: WorkspacePackage[] = workspacePackages();
const publicPackages: WorkspacePackage[] = publicPackagesInOrder();
const versions = new Map(all.map((p) => [p.manifest.name, p.manifest.version]));
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
/** The one repository URL every package names (docs/releasing.md). */
const rootRepository = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest).repository;

/** Conditions in an exports map, at any depth. */
function conditions(exp: unknown): string[] {
  if (typeof exp !== 'object' || exp === null) return [];
  return Object.entries(exp).flatMap(([k, v]) => [k, ...conditions(v)]);
}

const TEST_FRAMEWORKS = ['vitest', 'fast-check', 'jest', 'mocha', '@playwright/test', 'playwright-core'];

describe('package manifests (the conventions in docs/releasing.md)', () => {
  it('finds the public packages', () => {
    expect(publicPackages.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@paradox/ir', '@paradox/backend-js', '@paradox/jit']),
    );
  });

  it("typedoc.json documents every public entry point (each export's source)", () => {
    const typedoc = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    const entries = publicPackages.flatMap(({ dir, manifest }) =>
      Object.values(manifest.exports ?? {}).map(
        (e) =>
          `${dir}/${String((e as Record<string, unknown>)['@paradox/development']).replace(/^\.\//, '')}`,
      ),
    );
    expect([...typedoc.entryPoints].sort()).toEqual(entries.sort());
  });

  it('typedoc names each entry point as users import it (the plugin reads the exports maps)', () => {
    const typedoc = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    const names = typedoc.entryPoints.map((e) => specifierOf(join(ROOT, e))?.name);
    const expected = publicPackages.flatMap(({ manifest }) =>
      Object.keys(manifest.exports ?? {}).map((subpath) =>
        subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`,
      ),
    );
    expect([...names].sort()).toEqual(expected.sort());
  });

  it('examples and apps are private: changeset publish skips them', () => {
    const leaked = all.filter((p) => /^(examples|apps)\//.test(p.dir) && p.manifest.private !== true);
    expect(leaked.map((p) => p.dir)).toEqual([]);
  });

  describe.each(publicPackages.map((p) => [p.manifest.name, p] as const))('%s', (_name, {
    dir,
    manifest,
  }) => {
    it('has license, repository, engines and a LICENSE file equal to the root one', () => {
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toEqual({ ...rootRepository, directory: dir });
      expect(manifest.engines?.node).toBe('>=20.19');
      expect(readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8')).toBe(license);
    });

    it('builds before packing and ships dist', () => {
      expect(manifest.scripts?.prepack).toBe('npm run build');
      expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'LICENSE']));
    });

    it('points node10 resolution at the root entry and every subpath (typesVersions)', () => {
      expect(manifest.main).toMatch(/^\.\/dist\/.+\.js$/);
      expect(manifest.types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      const typesVersions = (manifest as { typesVersions?: Record<string, Record<string, string[]>> })
        .typesVersions;
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (subpath === '.') continue;
        const types = (target as { types?: string }).types;
        expect({ subpath, mapped: typesVersions?.['*']?.[subpath.replace(/^\.\//, '')] }).toEqual({
          subpath,
          mapped: [types],
        });
      }
    });

    it('scopes the source condition: no bare `development`, and `@paradox/development` points at src', () => {
      const conds = conditions(manifest.exports);
      expect(conds).not.toContain('development');
      expect(conds).toContain('@paradox/development');
    });

    it('depends on workspace packages by a caret range that the workspace version satisfies', () => {
      for (const field of ['dependencies', 'peerDependencies', 'devDependencies'] as const) {
        for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
          const version = versions.get(dep);
          if (version === undefined) continue;
          expect({ dep, field, range }).toEqual({ dep, field, range: `^${version}` });
        }
      }
    });

    it('has no test framework among its runtime dependencies', () => {
      expect(Object.keys(manifest.dependencies ?? {}).filter((d) => TEST_FRAMEWORKS.includes(d))).toEqual([]);
    });

    it('its private dependencies are not runtime dependencies', () => {
      const privateNames = all.filter((p) => p.manifest.private === true).map((p) => p.manifest.name);
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(deps.filter((d) => privateNames.includes(d))).toEqual([]);
    });

    it('its export targets exist in the source tree', () => {
      const targets = JSON.stringify(manifest.exports).match(/"\.\/src\/[^"]+"/g) ?? [];
      for (const t of targets) expect(existsSync(join(ROOT, dir, JSON.parse(t)))).toBe(true);
    });
  });
});
