import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BundleSize, bundleSize } from '../bundle-size.js';
import { PAGE, PAGE_JS_ONLY } from './app-files.js';

export interface BuiltPage {
  bundler: string;
  /** The page's folder under the app, served as /<dir>/. */
  dir: string;
}

const html = (script: string, module: boolean) =>
  `<!doctype html><meta charset="utf-8"><title>paradox consumer</title><script ${module ? 'type="module" ' : ''}src="${script}"></script>`;

export async function esbuildPage(app: string, entry: string, outDir: string): Promise<BundleSize> {
  const esbuild = await import('esbuild');
  const { metafile } = await esbuild.build({
    absWorkingDir: app,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(app, outDir, 'bundle.js'),
    logLevel: 'error',
    metafile: true,
  });
  writeFileSync(join(app, outDir, 'index.html'), html('bundle.js', true));
  return bundleSize(metafile);
}

export async function vitePage(app: string, outDir: string): Promise<void> {
  const { build } = await import('vite');
  writeFileSync(join(app, 'index.html'), html('/page.mjs', true));
  await build({
    root: app,
    base: './',
    configFile: false,
    logLevel: 'error',
    build: { outDir, target: 'es2022', emptyOutDir: true },
  });
}

export async function webpackPage(
  app: string,
  mode: 'production' | 'development',
  outDir: string,
): Promise<void> {
  const webpack = (await import('webpack')).default;
  const compiler = webpack({
    mode,
    context: app,
    entry: './page.mjs',
    target: 'web',
    // 'eval' source maps would make the development page itself need 'unsafe-eval'.
    devtool: false,
    output: { path: join(app, outDir), filename: 'bundle.js' },
  });
  const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
    compiler.run((error, result) => (error || !result ? reject(error) : resolve(result))),
  );
  await new Promise<void>((resolve) => compiler.close(() => resolve()));
  if (stats.hasErrors()) throw new Error(`webpack ${mode}: ${stats.toString({ all: false, errors: true })}`);
  writeFileSync(join(app, outDir, 'index.html'), html('bundle.js', false));
}

/** Builds the page with every bundler; returns the pages and the js-only bundle's size. */
export async function buildPages(app: string): Promise<{ pages: BuiltPage[]; jsOnly: BundleSize }> {
  writeFileSync(join(app, 'page.mjs'), PAGE);
  writeFileSync(join(app, 'page-js-only.mjs'), PAGE_JS_ONLY);
  for (const d of ['esbuild', 'esbuild-js-only', 'webpack-production', 'webpack-development']) {
    mkdirSync(join(app, 'pages', d), { recursive: true });
  }
  await esbuildPage(app, 'page.mjs', 'pages/esbuild');
  const jsOnly = await esbuildPage(app, 'page-js-only.mjs', 'pages/esbuild-js-only');
  await vitePage(app, 'pages/vite');
  await webpackPage(app, 'production', 'pages/webpack-production');
  await webpackPage(app, 'development', 'pages/webpack-development');
  const pages = [
    { bundler: 'esbuild', dir: 'pages/esbuild' },
    { bundler: 'vite', dir: 'pages/vite' },
    { bundler: 'webpack (production)', dir: 'pages/webpack-production' },
    { bundler: 'webpack (development)', dir: 'pages/webpack-development' },
  ];
  return { pages, jsOnly };
}
