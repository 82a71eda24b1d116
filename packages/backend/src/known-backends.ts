/**
 * Paradox's own backends: the name each registers and the package that registers it on import, so
 * an error about a missing backend can name a package that exists.
 */
export const KNOWN_BACKENDS: Readonly<Record<string, { package: string; what: string }>> = {
  js: { package: '@paradox/backend-js', what: 'JavaScript, the default' },
  wasm: { package: '@paradox/backend-wasm', what: 'WebAssembly SIMD' },
  wgsl: { package: '@paradox/backend-wgsl', what: 'WebGPU' },
  c: { package: '@paradox/backend-c', what: 'native C through the host compiler' },
  cuda: { package: '@paradox/backend-cuda', what: 'CUDA' },
};

/** Names users reach for that mean one of ours. */
const ALIASES: Readonly<Record<string, string>> = {
  webgpu: 'wgsl',
  gpu: 'wgsl',
  javascript: 'js',
  cpu: 'js',
  webassembly: 'wasm',
  native: 'c',
};

/** How to get the backend `name` registered: the package to import, or the names that exist. */
export function backendHint(name: string): string {
  const known = KNOWN_BACKENDS[name];
  if (known) return `it registers itself when its package is imported: \`import '${known.package}'\``;
  const alias = ALIASES[name.toLowerCase()];
  if (alias) {
    const target = KNOWN_BACKENDS[alias]!;
    return `the ${target.what} backend is named '${alias}': \`import '${target.package}'\` and pass { backend: '${alias}' }`;
  }
  const list = Object.entries(KNOWN_BACKENDS)
    .map(([n, k]) => `'${n}' (${k.package})`)
    .join(', ');
  return `Paradox's backends are ${list}; a third-party backend registers itself when its package is imported`;
}
