import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "unknown-name",
    description:
      "A bare word or a type name that exists nowhere: not in the script, not a builtin, not in the kernel's BTF. Judged only when the kernel's types are known whole (--machine, bt-run, the language server).",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      unknownType: "No type `{{name}}` exists, neither in the script nor in the kernel's BTF. Check the spelling, or define it in the script.",
      unknownIdentifier: "`{{name}}` is no builtin and no enum value, neither of the script nor of the kernel's BTF. Check the spelling, or define it in an `enum`.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "unknown-type": "unknownType", "unknown-identifier": "unknownIdentifier" });
  },
});
