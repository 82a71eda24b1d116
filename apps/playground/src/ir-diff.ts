/** Which lines of a pass's output IR are new: not in its input (compared as a multiset of lines). */
export function changedLines(before: string, after: string): Set<number> {
  const remaining = new Map<string, number>();
  for (const line of before.split('\n')) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const changed = new Set<number>();
  after.split('\n').forEach((line, i) => {
    const left = remaining.get(line) ?? 0;
    if (left > 0) remaining.set(line, left - 1);
    else changed.add(i);
  });
  return changed;
}
