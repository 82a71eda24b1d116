import { join } from 'node:path';
import { findCxx, findTool, type Tool } from '@paradox/codegen-c';

/**
 * The external compilers the backend's offline paths use: `nvcc` (CUDA C -> PTX checks) and a
 * C++ compiler (the CPU emulation, found by @paradox/codegen-c). An environment variable
 * overrides each search.
 */
export { findCxx, type Tool };

/** nvcc (PARADOX_NVCC overrides; also looked for under $CUDA_HOME/bin and /usr/local/cuda/bin). */
export function findNvcc(): Tool | undefined {
  const dirs = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda']
    .filter((d): d is string => !!d)
    .map((d) => join(d, 'bin'));
  return findTool('PARADOX_NVCC', ['nvcc'], dirs);
}
