import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** A page server on 127.0.0.1 (a secure context, unlike about:blank), on a free port. */
export interface PageServer {
  url: string;
  close(): void;
}

export interface Route {
  body: string | Uint8Array;
  type: string;
  headers?: Record<string, string>;
}

/** The response for a path, or undefined for 404. */
export type Router = (path: string) => Route | undefined;

/** Cross-origin isolation (COOP + COEP): the page gets SharedArrayBuffer (wasm threads). */
export const CROSS_ORIGIN_ISOLATED: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export async function serve(router: Router): Promise<PageServer> {
  const server = http.createServer((req, res) => {
    const route = router(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route.type, ...route.headers });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** A page whose only content is `<script type="module" src="/bundle.js">`. */
export function modulePage(title: string): string {
  return `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="/bundle.js"></script>`;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the files of `folder` (a static build), index.html at '/'. */
export function serveFolder(folder: string): Promise<PageServer> {
  return serve((path) => {
    const clean = normalize(path);
    const file = join(folder, clean === '/' ? 'index.html' : clean);
    if (!file.startsWith(folder) || !existsSync(file)) return undefined;
    return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  });
}
