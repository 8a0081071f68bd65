import { compareReleases } from "@bt/parser";
import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

/** First release whose control-flow pass warns "Unreachable statement." */
const WARNED_SINCE = "0.25";

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
    if (compareReleases(ctx.target, WARNED_SINCE) < 0) return;
    reportTypeProblems(ctx, { unreachable: "unreachable" });
  },
});
