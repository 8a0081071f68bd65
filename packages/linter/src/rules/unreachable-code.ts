import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "unreachable-code",
    description: "Statements after `return`, `break` or `continue` in the same block never run; bpftrace warns.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      unreachable: "This statement never runs: the block has already ended with `return`, `break` or `continue`. Remove it or move it before.",
    },
  },
  check(ctx) {
    if (!warnedIn("unreachable-code", ctx.target)) return;
    reportTypeProblems(ctx, { unreachable: "unreachable" });
  },
});
