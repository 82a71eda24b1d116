/**
 * One entry per op of a registry op list (`UNARY_OPS`, `BINARY_OPS`), each made by `rule(op)`: per-op
 * tables of generic rules (the interpreter's, lowering's) follow the registry instead of naming every
 * op again, and stay complete when an op joins the list.
 */
export function opTable<O extends string, R>(ops: readonly O[], rule: (op: O) => R): { [P in O]: R } {
  return Object.fromEntries(ops.map((op) => [op, rule(op)])) as { [P in O]: R };
}
