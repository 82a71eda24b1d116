/**
 * @paradox/testing-browser (private, test support): what every browser test here needs, once:
 * the system Chromium with the flags this machine allows, a 127.0.0.1 page server, and esbuild
 * bundles of a test entry.
 */
export { bundleForBrowser, bundleForNode } from './bundle.js';
export {
  CHROMIUM,
  CHROMIUM_FLAGS,
  hasChromium,
  type LaunchOptions,
  launchChromium,
  NO_CHROMIUM,
} from './chromium.js';
export {
  CROSS_ORIGIN_ISOLATED,
  modulePage,
  type PageServer,
  type Route,
  type Router,
  serve,
  serveFolder,
} from './serve.js';
