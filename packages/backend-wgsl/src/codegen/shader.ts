import { helpersFor } from './helpers.js';
import type { Binding, KernelCode } from './kernel-code.js';
import { opaqueConstants } from './literals.js';

/** A rendered kernel: its WGSL, bindings in slot order, and how many workgroups to dispatch. */
export interface RenderedKernel {
  source: string;
  bindings: Binding[];
  /** Linear workgroup count (the runtime splits it into 2-D); 0 skips the dispatch. */
  workgroups: number;
  /** Which template rendered it, for inspect() and tests. */
  template:
    | 'empty'
    | 'elementwise'
    | 'elementwise-vec4'
    | 'reduce-serial'
    | 'reduce-serial-vec4'
    | 'reduce-tree'
    | 'contraction';
}

/** Indented lines of WGSL. */
export class Lines {
  private readonly out: string[] = [];
  constructor(private depth = 1) {}
  line(s: string): void {
    this.out.push('  '.repeat(this.depth) + s);
  }
  block(head: string, body: () => void): void {
    this.line(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line('}');
  }
  /** Appends another writer's lines (written at depth 0) at the current depth. */
  append(other: Lines | string[]): void {
    for (const l of Array.isArray(other) ? other : other.lines()) this.line(l);
  }
  lines(): string[] {
    return this.out;
  }
  text(): string {
    return this.out.join('\n');
  }
}

/**
 * Emits `let <prefix><k> = ...` for each axis in `needed`, decomposing the row-major flat index
 * `flat` over `extents`. Returns the lines (placed before the code that reads the axes).
 */
export function decompose(
  flat: string,
  extents: readonly number[],
  prefix: string,
  needed: ReadonlySet<number>,
): string[] {
  const out: string[] = [];
  let stride = 1;
  const strides: number[] = [];
  for (let k = extents.length - 1; k >= 0; k--) {
    strides[k] = stride;
    stride *= extents[k]!;
  }
  for (let k = 0; k < extents.length; k++) {
    if (!needed.has(k)) continue;
    const d = extents[k]!;
    const s = strides[k]!;
    const q = s === 1 ? flat : `(${flat} / ${s}i)`;
    out.push(`let ${prefix}${k} = ${d <= 1 ? '0i' : k === 0 ? q : `${q} % ${d}i`};`);
  }
  return out;
}

/** A spelling `prefix<k>` for loop axis k that records which axes were used (only those get decomposed). */
export function trackedAxis(used: Set<number>, prefix: string): (k: number) => string {
  return (k) => {
    used.add(k);
    return `${prefix}${k}`;
  };
}

/** The whole shader: header, workgroup memory, helpers, and `main` around `body`. */
export function assemble(
  code: KernelCode,
  workgroupSize: number,
  workgroupVars: string[],
  body: string[],
): string {
  const main = [
    `@compute @workgroup_size(${workgroupSize})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
    '        @builtin(local_invocation_index) lid_u: u32) {',
    '  let wg = i32(wid.x + wid.y * nwg.x);',
    '  let lid = i32(lid_u);',
    ...opaqueConstants(body),
    ...body,
    '}',
  ].join('\n');
  const parts = [code.header(), ...workgroupVars, helpersFor(main), main];
  return `${parts.filter((p) => p.length > 0).join('\n')}\n`;
}
