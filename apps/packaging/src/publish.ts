/**
 * Publishes every public package whose version is not on the registry yet, dependencies first, so
 * a dependent never appears on the registry before what it needs. `prepack` builds each one.
 *   npm run release -- [--dry-run]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { publicPackagesInOrder, ROOT } from './workspace.js';

const dryRun = process.argv.includes('--dry-run');

function published(name: string, version: string): boolean {
  try {
    return (
      execFileSync('npm', ['view', `${name}@${version}`, 'version'], { encoding: 'utf8' }).trim() === version
    );
  } catch {
    return false; // E404: never published
  }
}

for (const { dir, manifest } of publicPackagesInOrder()) {
  const id = `${manifest.name}@${manifest.version}`;
  if (published(manifest.name, manifest.version)) {
    console.log(`skip ${id} (on the registry)`);
    continue;
  }
  console.log(`publish ${id}${dryRun ? ' (dry run)' : ''}`);
  const args = ['publish', '--access', 'public', ...(dryRun ? ['--dry-run'] : [])];
  const run = spawnSync('npm', args, { cwd: join(ROOT, dir), stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`npm publish failed for ${id}; the packages above it are published, rerun to continue`);
    process.exit(run.status ?? 1);
  }
}
