import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../workspace.js';
import { TS_BROWSER, TS_CASES, TS_NODE } from './app-files.js';
import { run } from './exec.js';

const require = createRequire(import.meta.url);
/** TypeScript 7 (the workspace's) and TypeScript 6 (the JS-API one typedoc uses, under apps/packaging). */
const TSC: Record<6 | 7, string> = {
  7: join(ROOT, 'node_modules/typescript/bin/tsc'),
  6: require.resolve('typescript/bin/tsc'),
};

/** Type-checks the consumer's code under each configuration; returns one line per case. */
export function typecheckAll(app: string): string[] {
  writeFileSync(join(app, 'browser.ts'), TS_BROWSER);
  writeFileSync(join(app, 'node.ts'), TS_NODE);
  writeFileSync(join(app, 'node.cts'), TS_NODE);
  const lines: string[] = [];
  for (const c of TS_CASES) {
    const config = `tsconfig.${c.name.replace(/[^a-z0-9]+/gi, '-')}.json`;
    writeFileSync(
      join(app, config),
      JSON.stringify({ compilerOptions: c.compilerOptions, files: [c.file] }, null, 2),
    );
    const version = run(process.execPath, [TSC[c.ts], '--version'], app).trim();
    run(process.execPath, [TSC[c.ts], '-p', config], app);
    lines.push(`tsc ${c.name}: ok (${version}, ${c.file})`);
  }
  return lines;
}
