import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "empty-positional-parameter",
    description: "A positional parameter (`$2`) the run does not give is empty, and so is `str($1 + k)` with k past the end of `$1`'s text: bpftrace warns. Only judged when the run's parameters are known (bt-run passes them).",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      empty: "`${{n}}` is not given to this run, so it is empty (0 as a number, \"\" as a string). Pass it after the program's file name, or check `$#` first.",
      offsetPastEnd: "`str(${{n}} + {{offset}})` starts at or past the end of this run's `${{n}}` ({{length}} bytes), so the string is always empty.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "empty-positional": "empty", "positional-offset-past-end": "offsetPastEnd" });
  },
});
