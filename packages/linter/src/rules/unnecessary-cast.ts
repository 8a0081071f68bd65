import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "unnecessary-cast",
    description: "A cast to the type the value already has (`(uint64)nsecs`, `(int8)1`) does nothing; bpftrace warns.",
    type: "suggestion",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      unnecessary: "This value already is a {{type}}; the cast does nothing. Remove it.",
    },
  },
  check(ctx) {
    if (!warnedIn("unnecessary-cast", ctx.target)) return;
    reportTypeProblems(ctx, { "unnecessary-cast": "unnecessary" });
  },
});
