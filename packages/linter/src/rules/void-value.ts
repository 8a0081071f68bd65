import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "void-value",
    description: "Calls that give no value (`printf()`, `exit()`, `cat()`…) cannot be used as values: assigned, used as keys, operands or arguments.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      voidValue: "This gives no value, so it cannot be {{use}}. Call it as a statement of its own.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "void-value": "voidValue" });
  },
});
