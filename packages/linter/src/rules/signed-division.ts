import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "signed-division",
    description: "`/` and `%` with a signed operand: BPF has no signed division, so the result can be wrong for negative values; bpftrace warns.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      signed: "`{{operator}}` with a signed operand: BPF divides unsigned, so a negative value gives a wrong result. Cast the operands to an unsigned type (`(uint64)`).",
    },
  },
  check(ctx) {
    if (!warnedIn("signed-division", ctx.target)) return;
    reportTypeProblems(ctx, { "signed-division": "signed" });
  },
});
