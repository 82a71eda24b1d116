/**
 * `entry` bundled for a page as one ES module (esbuild), with the workspace's packages resolved to
 * their TypeScript sources (the `@paradox/development` condition), as the tests import them.
 */
export async function bundleForBrowser(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['@paradox/development'],
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
