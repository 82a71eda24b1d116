/**
 * Whether this engine validates SIMD128 code: a module with one function returning
 * `v128.const 0` (Node 16+, Chrome 91+, Firefox 89+, Safari 16.4+).
 */
export function simdSupported(): boolean {
  // biome-ignore format: one line per section reads better than one byte per line
  const probe = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b, // v128.const 0; end
  ]);
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

/** Whether shared memory and worker threads could be used (SharedArrayBuffer exposed). */
export function sharedMemorySupported(): boolean {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
    return typeof SharedArrayBuffer === 'function';
  } catch {
    return false;
  }
}
