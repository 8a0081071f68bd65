import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "operand-types",
    description: "Operators and conditions need operands of types they work on: no arithmetic on strings or tuples, no comparison of a string with a number, no stack as a condition.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      operand: "`{{operator}}` does not work on {{type}}. Convert the operands to a common type first (for strings: `strncmp()`, `strcontains()`).",
      distinctPointers: "This compares a pointer to {{left}} with a pointer to {{right}}; they never point to the same object unless one is cast. Cast one of them if that is intended.",
      addressSpaceMismatch: "This mixes a value read from user memory (a `tracepoint:syscalls:*` probe's `args`) with a kernel value (a literal); bpftrace warns \"Addrspace mismatch\" and gives the result no address space.",
      condition: "A {{type}} has no truth value, so it cannot be a condition. Compare it with something instead.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "operand-type": "operand", "condition-type": "condition" });
    reportTypeProblems(ctx, { "distinct-pointers": "distinctPointers" }, "warning");
    if (warnedIn("operand-types", ctx.target)) reportTypeProblems(ctx, { "address-space-mismatch": "addressSpaceMismatch" }, "warning");
  },
});
