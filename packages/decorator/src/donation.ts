import type { Backend, DeviceBuffer } from '@paradox/backend';
import { donatableOutputs, type KernelProgram } from '@paradox/ir';
import type { Tensor, TensorStorage } from '@paradox/tracer';
import { isPromise } from './device-io.js';
import { JitArgumentError } from './errors.js';
import type { CallSignature } from './signature.js';

/**
 * Buffer donation (`donate: [0, 1]`, JAX's donate_argnums): the tensors of the donated arguments
 * are handed to the call. Outputs that `donatableOutputs` proves safe are stored straight into
 * their memory (so a warm training step allocates only what it does not update in place); every
 * donated tensor is invalid after the call (TensorDonatedError on use), and memory not reused is freed.
 */
export interface Donation {
  /** Leaf indices of the call tree whose tensors are donated. */
  readonly leaves: readonly number[];
  /** Per output: the program input whose buffer it is stored into, or -1. */
  readonly reuseInput: readonly number[];
  /** Who the tensors were donated to, for TensorDonatedError. */
  readonly label: string;
}

/** The leaves of the donated top-level arguments (after the receiver's state for methods). */
function donatedLeaves(signature: CallSignature, argPositions: readonly number[], name: string): number[] {
  const node = signature.tree.node;
  if (node.kind !== 'array') return [];
  const offset = signature.receiver ? 1 : 0;
  const starts: number[] = [];
  let leaf = 0;
  for (const child of node.children) {
    starts.push(leaf);
    leaf += child.numLeaves;
  }
  const args = node.children.length - offset;
  return argPositions.flatMap((i) => {
    if (i >= args)
      throw new JitArgumentError(`${name}: donate names argument ${i}, but the call has ${args} argument(s)`);
    const start = starts[i + offset]!;
    return Array.from({ length: node.children[i + offset]!.numLeaves }, (_, j) => start + j);
  });
}

export function planDonation(
  program: KernelProgram,
  signature: CallSignature,
  inputLeaves: readonly number[],
  argPositions: readonly number[],
): Donation {
  const label = `${program.name} (donate: [${argPositions.join(', ')}])`;
  const leaves = donatedLeaves(signature, argPositions, program.name);
  const donatedSet = new Set(leaves);
  const donatedInputs = inputLeaves.flatMap((leaf, k) => (donatedSet.has(leaf) ? [k] : []));
  const pairs = donatableOutputs(program, donatedInputs);
  return { leaves, label, reuseInput: program.outputs.map((_, o) => pairs.get(o) ?? -1) };
}

/** The buffers handed over per output for this run, or undefined when none is. */
export function reuseBuffers(
  donation: Donation,
  inputs: readonly DeviceBuffer[],
): (DeviceBuffer | undefined)[] | undefined {
  if (!donation.reuseInput.some((k) => k >= 0)) return undefined;
  return donation.reuseInput.map((k) => (k >= 0 ? inputs[k] : undefined));
}

/** Invalidates the donated tensors now; returns what to free once the run's outputs are known. */
export function takeDonated(
  donation: Donation,
  source: readonly unknown[],
  positions: readonly number[],
): TensorStorage[] {
  const taken: TensorStorage[] = [];
  for (const p of positions) {
    const storage = (source[p] as Tensor).donate(donation.label);
    if (storage) taken.push(storage);
  }
  return taken;
}

/** Frees donated memory that did not become an output. */
export function releaseDonated(
  backend: Backend,
  taken: readonly TensorStorage[],
  outputs: readonly DeviceBuffer[],
): void {
  const kept = new Set(outputs);
  for (const storage of taken) {
    if (storage.kind !== 'device') continue;
    const { buffer } = storage;
    if (isPromise(buffer)) {
      buffer.then(
        (b) => storage.backend.free(b),
        () => {},
      );
    } else if (!(storage.backend === backend && kept.has(buffer))) storage.backend.free(buffer);
  }
}
