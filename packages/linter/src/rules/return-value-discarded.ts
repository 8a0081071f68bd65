import { compareReleases } from "@bt/parser";
import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

/** First release whose type checker warns "Return value discarded". */
const WARNED_SINCE = "0.24";

export default createRule({
  meta: {
    id: "return-value-discarded",
    description: "An expression statement whose value is thrown away (`pid;`, `strlen($s);`) does nothing; bpftrace warns about it.",
    type: "suggestion",
    // bpftrace warns even on `delete(@m, k);`, the usual way to delete: at warning level every tool would fail CI.
    defaultSeverity: "info",
    fixable: false,
    messages: {
      discarded: "This computes a value of type {{type}} and throws it away. Use the value, or discard it explicitly with `_ = …;`.",
    },
  },
  check(ctx) {
    if (compareReleases(ctx.target, WARNED_SINCE) < 0) return;
    reportTypeProblems(ctx, { "discarded-value": "discarded" });
  },
});
