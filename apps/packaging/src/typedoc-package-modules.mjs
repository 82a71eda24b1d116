// @ts-check
/**
 * TypeDoc plugin: each documented entry point is named as users import it (`@paradox/ir`,
 * `@paradox/ir/testing`) instead of by its path (`ir/src`), and a package's root entry shows the
 * package's README as its module page. Names come from each package's package.json `exports`
 * (the `@paradox/development` condition points at the source file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Converter, MinimalSourceFile, ReflectionKind } from 'typedoc';

/**
 * The package folder holding `file`: the nearest package.json above it.
 * @param {string} file
 */
function packageDirOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/**
 * The import specifier of a package's entry source file, from its exports map.
 * @param {string} file
 */
export function specifierOf(file) {
  const dir = packageDirOf(file);
  if (!dir) return undefined;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const source = typeof target === 'object' && target ? target['@paradox/development'] : undefined;
    if (typeof source === 'string' && resolve(dir, source) === resolve(file)) {
      return {
        name: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`,
        dir,
        root: subpath === '.',
      };
    }
  }
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.kind !== ReflectionKind.Module) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const entry = file && specifierOf(file);
    if (!entry) {
      app.logger.warn(`typedoc-package-modules: no package export for module ${reflection.name}`);
      return;
    }
    reflection.name = entry.name;
    const readme = join(entry.dir, 'README.md');
    if (entry.root && existsSync(readme)) {
      const text = readFileSync(readme, 'utf8');
      const { files } = context.project;
      reflection.readme = context.converter.parseRawComment(
        new MinimalSourceFile(text, readme),
        files,
      ).content;
      // Links between READMEs (`../backend-conformance/README.md`) lead to the package's module page.
      files.registerReflectionPath(readme, reflection);
      app.logger.verbose(`typedoc-package-modules: ${entry.name} <- ${relative(process.cwd(), readme)}`);
    }
  });
}
