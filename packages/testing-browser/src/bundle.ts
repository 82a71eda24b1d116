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

/**
 * `entry` and the Paradox sources it imports bundled into one ES module file for Node, as a user's
 * bundler would put them (one file: paths cannot tell Paradox's stack frames from the user's).
 */
export async function bundleForNode(entry: string, outfile: string, minify = false): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: 'esm',
    platform: 'node',
    minify,
    conditions: ['@paradox/development'],
    logLevel: 'silent',
  });
}
