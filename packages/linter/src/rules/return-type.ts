import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "return-type",
    description: "A `fn` returns values of its declared return type, and a `void` fn returns none.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      returnType: "`{{fn}}` is declared to return {{held}}, but this returns a value of type {{value}}. Return a value of the declared type, or change the declaration.",
      probeReturn: "A probe's return value must be an integer, not a value of type {{value}}.",
      missingReturn: "`{{fn}}` is declared to return {{type}}, but its body can end without `return`. Return a value on every path.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "return-type": "returnType", "missing-return": "missingReturn", "probe-return": "probeReturn" });
  },
});
