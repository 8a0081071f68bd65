import { compareReleases } from "@bt/parser";
import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

/** bpftrace has warned since 0.16; the checker models the integer types of 0.26+ (sized literals that take the other operand's sign). */
const MODELLED_SINCE = "0.26";

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
    if (compareReleases(ctx.target, MODELLED_SINCE) < 0) return;
    reportTypeProblems(ctx, { "signed-division": "signed" });
  },
});
