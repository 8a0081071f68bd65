import { compareReleases } from "@bt/parser";
import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

/** First release whose type checker warns "Unnecessary cast". */
const WARNED_SINCE = "0.27";

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
    if (compareReleases(ctx.target, WARNED_SINCE) < 0) return;
    reportTypeProblems(ctx, { "unnecessary-cast": "unnecessary" });
  },
});
