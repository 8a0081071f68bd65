import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "unroll-count",
    description: "`unroll (n)` repeats its body 1 to 100 times; other counts are refused.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      count: "`unroll ({{value}})`: the count must be {{bound}}. For more iterations use a `for` or `while` loop.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "unroll-count": "count" });
  },
});
