import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "empty-positional-parameter",
    description: "A positional parameter (`$2`) the run does not give is empty: bpftrace warns. Only judged when the run's parameters are known (bt-run passes them).",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      empty: "`${{n}}` is not given to this run, so it is empty (0 as a number, \"\" as a string). Pass it after the program's file name, or check `$#` first.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "empty-positional": "empty" });
  },
});
