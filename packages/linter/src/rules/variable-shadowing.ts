import { compareReleases } from "@bt/parser";
import { createRule } from "../rule.ts";

/** Before 0.25 bpftrace compared a `let` only with earlier `let`s; since then with every variable in scope. */
const EVERY_DECLARATION_SINCE = "0.25";

export default createRule({
  meta: {
    id: "variable-shadowing",
    description: "A `let` or `for` variable may not reuse the name of a variable that is already in scope: bpftrace does not allow shadowing.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      let: "`{{name}}` already exists here (line {{line}}); `let` cannot declare it again. Assign to it (`{{name}} = …`) or choose another name.",
      loop: "The loop variable `{{name}}` reuses the name of a variable that already exists here (line {{line}}). Choose another name for the loop variable.",
    },
  },
  check(ctx) {
    const everyDeclaration = compareReleases(ctx.target, EVERY_DECLARATION_SINCE) >= 0;
    for (const p of ctx.model.variableProblems) {
      if (p.kind !== "shadowing") continue;
      if (!p.loop && !everyDeclaration && p.declaredAt.type !== "LetStatement") continue;
      ctx.report({ messageId: p.loop ? "loop" : "let", data: { name: p.name, line: p.declaredAt.range.start.line }, range: p.node.range });
    }
  },
});
