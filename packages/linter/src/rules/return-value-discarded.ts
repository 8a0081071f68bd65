import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

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
      stdlibMacro:
        "bpftrace warns \"Return value discarded.\" for this call of `{{fn}}()`: its standard library writes `{{fn}}()` as a macro that throws a value away. The program needs no change.",
    },
  },
  check(ctx) {
    if (!warnedIn("return-value-discarded", ctx.target)) return;
    reportTypeProblems(ctx, { "discarded-value": "discarded", "stdlib-discarded-value": "stdlibMacro" });
  },
});
