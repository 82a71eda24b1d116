import type { Lines } from '@paradox/codegen-c/render';
import type { CFrame } from './frame.js';

/**
 * A block, one parallel region when `parallel`, in which each thread takes the contiguous run
 * [t0, t1) of the `total` items `name` counts (declared first): the static split of `omp for`,
 * made explicit so the code before the thread's loop (a fold over its operands) knows its share.
 * Serially the run is every item. `body` renders the rest of the block.
 */
export function renderThreadRun(
  out: Lines,
  frame: CFrame,
  parallel: boolean,
  { name, total }: { name: string; total: string },
  body: () => void,
): void {
  const I = frame.indexType;
  if (parallel) out.push('#pragma omp parallel num_threads(px_threads)');
  out.block('', () => {
    out.push(`const ${I} ${name} = ${total};`);
    if (parallel)
      out.push(
        `const ${I} nth = PX_THREADS, me = PX_THREAD;`,
        `const ${I} t0 = ${name} / nth * me + (me < ${name} % nth ? me : ${name} % nth);`,
        `const ${I} t1 = t0 + ${name} / nth + (me < ${name} % nth ? 1 : 0);`,
      );
    else out.push(`const ${I} t0 = 0, t1 = ${name};`);
    body();
  });
}
