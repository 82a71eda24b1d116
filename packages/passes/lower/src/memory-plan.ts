import type { BufferDecl, DType, Kernel, KernelProgram, MemorySlot, ScalarExpr } from '@paradox/ir';
import { BYTES_PER_ELEMENT } from '@paradox/ir';

/**
 * Memory planning: every temp buffer gets a slot, and a slot is reused by a later temp once every
 * kernel reading its earlier occupant has run. A backend allocates the slots once per executable
 * and reuses them across calls, so a warm call allocates nothing but its outputs.
 *
 * Liveness is measured in kernel positions: a temp is live from the kernel that first stores it to
 * the last kernel that loads it. A slot freed after kernel k is only reused from kernel k+1 on (a
 * kernel never reads and writes the same memory). Slots hold at least 4 bytes, in multiples of 4,
 * so any dtype can reuse them and every binding is valid on WebGPU.
 */
export function slotBytes(dtype: DType, size: number): number {
  return Math.max(4, Math.ceil((size * BYTES_PER_ELEMENT[dtype]) / 4) * 4);
}

export function planMemory(
  buffers: BufferDecl[],
  kernels: Kernel[],
): { buffers: BufferDecl[]; slots: MemorySlot[] } {
  const def = new Map<number, number>();
  const lastUse = new Map<number, number>();
  kernels.forEach((k, i) => {
    for (const s of k.stores) if (!def.has(s.buffer)) def.set(s.buffer, i);
    for (const id of loadedBuffers(k.exprs)) lastUse.set(id, i);
  });
  const temps = buffers.filter((b) => b.kind === 'temp');
  const slots: MemorySlot[] = [];
  const free: MemorySlot[] = [];
  const slotOf = new Map<number, MemorySlot>();
  const live: BufferDecl[] = [];
  kernels.forEach((_, k) => {
    for (const b of [...live]) {
      const end = Math.max(lastUse.get(b.id) ?? -1, def.get(b.id)!);
      if (end < k) {
        live.splice(live.indexOf(b), 1);
        free.push(slotOf.get(b.id)!);
      }
    }
    for (const b of temps.filter((t) => def.get(t.id) === k)) {
      const slot = takeSlot(free, slots, slotBytes(b.dtype, b.size));
      slotOf.set(b.id, slot);
      live.push(b);
    }
  });
  return {
    buffers: buffers.map((b) =>
      b.kind === 'temp' && slotOf.has(b.id) ? { ...b, slot: slotOf.get(b.id)!.id } : b,
    ),
    slots,
  };
}

/** Best fit among free slots; else the largest free one, grown; else a new slot. */
function takeSlot(free: MemorySlot[], slots: MemorySlot[], bytes: number): MemorySlot {
  let pick: MemorySlot | undefined;
  for (const s of free) if (s.bytes >= bytes && (!pick || s.bytes < pick.bytes)) pick = s;
  if (!pick) for (const s of free) if (!pick || s.bytes > pick.bytes) pick = s;
  if (pick) {
    free.splice(free.indexOf(pick), 1);
    pick.bytes = Math.max(pick.bytes, bytes);
    return pick;
  }
  const slot = { id: slots.length, bytes };
  slots.push(slot);
  return slot;
}

export function loadedBuffers(exprs: readonly ScalarExpr[]): Set<number> {
  const ids = new Set<number>();
  for (const e of exprs) if (e.op === 'load') ids.add(e.buffer);
  return ids;
}

/** Re-plans the slots of a program (e.g. after a pass edited its kernels). */
export function replanMemory(program: KernelProgram): KernelProgram {
  const { buffers, slots } = planMemory(program.buffers, program.kernels);
  return { ...program, buffers, slots };
}
