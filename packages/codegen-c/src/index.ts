/**
 * @paradox/codegen-c: what every C-family backend shares. Kernel analysis, C syntax of every op
 * (through a small per-target dialect), index expressions, the expression emitter, reduction
 * accumulators and bodies, loop variables, a source writer, host toolchain discovery and a disk
 * cache of compiled artefacts. Targets (backend-cuda, backend-c) add their kernel templates.
 */

export { ArtefactCache, type ArtefactKey, artefactKey, defaultCacheDir, sha256 } from './disk_cache.js';
export * from './render.js';
export {
  compilerVersion,
  cpuSignature,
  describeCc,
  findCc,
  findCxx,
  findTool,
  type HostCompiler,
  searchPath,
  type Tool,
} from './toolchain.js';
