import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { EXPECTED } from './app-files.js';
import type { BuiltPage } from './bundle.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
};
/** No 'unsafe-eval': backend-js must refuse with its typed error, WebGPU must still run. */
const CSP = "script-src 'self'";

interface SourceLoc {
  file: string;
  line: number;
  column?: number;
}

interface PageResult {
  js?: number[];
  jsError?: string;
  wgsl?: number[];
  wgslError?: string;
  loc?: SourceLoc | null;
  compositeLoc?: SourceLoc | null;
  locError?: string;
}

/** Serves the app folder on 127.0.0.1; under /csp/ the same files with a Content-Security-Policy. */
async function serve(app: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const csp = path.startsWith('/csp/');
    const rel = normalize(csp ? path.slice(4) : path).replace(/^\/+/, '');
    const file = join(app, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel);
    if (!file.startsWith(app)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        ...(csp ? { 'content-security-policy': CSP } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const same = (a: number[] | undefined, b: number[]) =>
  a !== undefined && a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 1e-6);

/** Runs each page in headless Chromium; returns report lines, throws on the first failure. */
export async function runPages(app: string, pages: BuiltPage[]): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const server = await serve(app);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const lines: string[] = [];
  try {
    const open = async (url: string): Promise<PageResult> => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      await page.waitForFunction(() => 'paradoxResult' in globalThis, undefined, { timeout: 60_000 });
      const result = (await page.evaluate(
        () => (globalThis as unknown as { paradoxResult: unknown }).paradoxResult,
      )) as PageResult;
      await page.close();
      if (errors.length) throw new Error(`${url}: page errors: ${errors.join('; ')}`);
      return result;
    };
    for (const p of pages) {
      const r = await open(`${server.url}/${p.dir}/`);
      if (!same(r.js, EXPECTED)) throw new Error(`${p.bundler}: js backend gave ${JSON.stringify(r)}`);
      if (!same(r.wgsl, EXPECTED)) throw new Error(`${p.bundler}: WebGPU backend gave ${JSON.stringify(r)}`);
      const at = checkLocation(app, server.url, r, p.bundler);
      const composite = checkCompositeLocation(app, server.url, r, p.bundler);
      lines.push(
        `${p.bundler}: js ${JSON.stringify(r.js)}, wgsl ${JSON.stringify(r.wgsl)}, trace location ${at}, gelu's erf at ${composite}`,
      );
    }
    const csp = await open(`${server.url}/csp/${pages[0]!.dir}/`);
    if (!csp.jsError?.startsWith('CodeGenerationBlockedError') || !same(csp.wgsl, EXPECTED)) {
      throw new Error(`CSP without unsafe-eval: ${JSON.stringify(csp)}`);
    }
    lines.push(
      `${pages[0]!.bundler} under CSP "${CSP}": ${csp.jsError.slice(0, 90)}...; wgsl ${JSON.stringify(csp.wgsl)}`,
    );
  } finally {
    await browser.close();
    server.close();
  }
  return lines;
}

/** The served bundle's text at a location: its path and the rest of its line from there. */
function textAt(
  app: string,
  base: string,
  r: PageResult,
  bundler: string,
  loc: SourceLoc | null | undefined,
) {
  if (!loc || loc.column === undefined)
    throw new Error(`${bundler}: no trace location: ${JSON.stringify(r)}`);
  const path = loc.file.startsWith(base) ? new URL(loc.file).pathname : loc.file;
  const line = readFileSync(join(app, path), 'utf8').split('\n')[loc.line - 1] ?? '';
  return { path, rest: line.slice(loc.column - 1), where: `${path}:${loc.line}:${loc.column}` };
}

/**
 * gelu's inner `erf` node (recorded inside Paradox's code) must point at the user's `gelu(x.mul(2))`
 * call: the user's `mul(2)` follows within the call's text.
 */
function checkCompositeLocation(app: string, base: string, r: PageResult, bundler: string): string {
  const { rest, where } = textAt(app, base, r, bundler, r.compositeLoc);
  const call = rest.slice(0, rest.indexOf('mul(2)') + 6);
  if (!call.endsWith('mul(2)') || call.length > 120 || /[;{}]/.test(call))
    throw new Error(`${bundler}: gelu's erf at ${where} is not the user's gelu call: "${rest.slice(0, 60)}"`);
  return `${where} ("${call}")`;
}

/** The traced `mul` must point at the user's `.mul(` in the served bundle. */
function checkLocation(app: string, base: string, r: PageResult, bundler: string): string {
  const { path, rest } = textAt(app, base, r, bundler, r.loc);
  const loc = r.loc!;
  const at = rest.slice(0, 12);
  if (!at.startsWith('mul(2)'))
    throw new Error(`${bundler}: trace location ${loc.line}:${loc.column} is not the user's call: "${at}"`);
  return `${path}:${loc.line}:${loc.column} ("${at}")`;
}
