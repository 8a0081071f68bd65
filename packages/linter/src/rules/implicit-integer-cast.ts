import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "implicit-integer-cast",
    description: "An integer operand that bpftrace converts to another sign or a smaller type to compute an operator (`nsecs - @start` makes both uint64 operands int64); bpftrace warns.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      cast: "This {{from}} is converted to {{to}} here, which can change its value. Cast it explicitly (`({{to}})…`) if that is intended.",
    },
  },
  check(ctx) {
    if (!warnedIn("implicit-integer-cast", ctx.target)) return;
    reportTypeProblems(ctx, { "implicit-cast": "cast" });
  },
});
