import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "jump-outside-loop",
    description: "`break` and `continue` only work inside a `for` or `while` loop.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      outside: "`{{jump}}` is not inside a loop. Use `return` to leave the probe or fn.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "jump-outside-loop": "outside" });
  },
});
