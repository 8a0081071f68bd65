import type { Expression } from "@bt/parser";

/**
 * `1 + 1 + … + 1` is a left-deep tree as deep as it is long (bpftrace takes thousands of terms).
 * Before a memoised evaluation computes `e`, the left spine below it is computed bottom-up in a
 * loop, leftmost first as recursion would, so that each link finds its left operand done instead
 * of recursing once per term.
 */
export function computeLeftSpine<T>(e: Expression, memo: Map<Expression, T>, compute: (e: Expression) => T): void {
  // Most binary expressions have no binary left operand: no spine, and no array made for one.
  if (e.type !== "BinaryExpression" || e.left.type !== "BinaryExpression") return;
  const spine: Expression[] = [];
  for (let n: Expression = e.left; n.type === "BinaryExpression" && !memo.has(n); n = n.left) spine.push(n);
  for (let i = spine.length - 1; i >= 0; i--) memo.set(spine[i], compute(spine[i]));
}
