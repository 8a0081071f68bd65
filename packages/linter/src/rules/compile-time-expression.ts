import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "compile-time-expression",
    description:
      "`comptime` expressions and type queries (`typeof`, `typeinfo`, `sizeof`) are evaluated when bpftrace compiles the program: they cannot read variables or maps, nor assign maps.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      runtimeValue: "`comptime` is evaluated when the program is compiled, but `{{name}}` only has a value when it runs. Drop `comptime`, or use constants, sizeof() and typeinfo() here.",
      mapAssignment: "`{{query}}()` only looks at the type of its argument and never runs it: the assignment to `{{name}}` here is refused. Assign the map outside `{{query}}()`.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "comptime-runtime": "runtimeValue", "type-query-map-assignment": "mapAssignment" });
  },
});
