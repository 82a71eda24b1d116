/**
 * The browser bundle users pay for `@paradox/core` (tracer, jit, the js backend and what they import):
 * its minified size, per package, against a budget. zod is the one third-party package in it, through
 * `zod/mini` (classic zod's chainable API alone weighed 443 KiB of a 654 KiB bundle).
 */
import type { Metafile } from 'esbuild';

/** Minified esbuild bundle of a page importing `@paradox/core` (js backend only). 245 KiB when set. */
export const CORE_BROWSER_BUDGET_KIB = 300;
/** zod's share of it (36 KiB through zod/mini and its English locale). */
export const ZOD_BUDGET_KIB = 60;

export interface BundleSize {
  bytes: number;
  /** Output bytes by npm package (`zod`, `@paradox/ir`, ...). */
  byPackage: Map<string, number>;
}

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;
/** Workspace sources (the unit test bundles them) under their package folder. */
const WORKSPACE = /(?:^|\/)packages\/(?:passes\/)?([^/]+)\/src\//;

function packageOf(input: string): string {
  const installed = PACKAGE.exec(input);
  if (installed) return installed[1]!;
  const source = WORKSPACE.exec(input);
  return source ? `@paradox/${source[1]}` : input;
}

/** The size of esbuild's single output, by package. */
export function bundleSize(metafile: Metafile): BundleSize {
  const outputs = Object.values(metafile.outputs);
  if (outputs.length !== 1) throw new Error(`expected one bundle, esbuild wrote ${outputs.length}`);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(outputs[0]!.inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return { bytes: outputs[0]!.bytes, byPackage };
}

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** What exceeds the budgets, in words (empty when within them). */
export function overBudget({ bytes, byPackage }: BundleSize): string[] {
  const over: string[] = [];
  if (bytes > CORE_BROWSER_BUDGET_KIB * 1024)
    over.push(
      `@paradox/core's browser bundle is ${kib(bytes)}, over its ${CORE_BROWSER_BUDGET_KIB} KiB budget`,
    );
  const zod = byPackage.get('zod') ?? 0;
  if (zod > ZOD_BUDGET_KIB * 1024)
    over.push(
      `zod takes ${kib(zod)} of it, over its ${ZOD_BUDGET_KIB} KiB budget (import 'zod/mini', not 'zod')`,
    );
  return over;
}

/** The largest packages of the bundle, for reports. */
export const largest = ({ byPackage }: BundleSize, count = 5): string =>
  [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kib(bytes)}`)
    .join(', ');
