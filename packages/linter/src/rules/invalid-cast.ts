import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "invalid-cast",
    description: "Casts must convert between types bpftrace can convert: integers, bools and pointers among themselves, a struct only to itself.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      cast: "A {{from}} cannot be cast to {{to}}. Cast a pointer to the data instead, or convert with a function (`str()`, `buf()`).",
      enumValue: "`enum {{name}}` has no variant with the value {{value}}. Use one of its values, or cast to an integer type.",
      unknownEnum: "The script defines no `enum {{name}}`, and bpftrace casts only to enums the script defines (not the kernel's). Define it (`enum {{name}} { … }`), or cast to an integer type.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { cast: "cast", "enum-value": "enumValue", "unknown-enum": "unknownEnum" });
  },
});
