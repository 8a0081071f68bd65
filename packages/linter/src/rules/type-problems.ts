import type { TypeProblemCode } from "@bt/semantic";
import type { RuleContext, Severity } from "../types.ts";

/**
 * Reports the type checker's problems of the given codes, each under the rule's messageId for
 * that code. Rules own their messages; the checker owns the facts.
 */
export function reportTypeProblems(ctx: RuleContext, messageIds: Partial<Record<TypeProblemCode, string>>, severity?: Severity): void {
  for (const p of ctx.model.types.problems) {
    const messageId = messageIds[p.code];
    if (messageId) ctx.report({ messageId, data: p.data, range: p.node.range, ...(severity ? { severity } : {}) });
  }
}
