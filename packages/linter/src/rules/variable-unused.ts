import { createRule } from "../rule.ts";

/** Names that say "intentionally unused" (like ESLint's `^_` pattern). */
const IGNORED = /^\$(_|ignore|unused|dummy)/;

export default createRule({
  meta: {
    id: "variable-unused",
    description: "A scratch variable that is assigned but never read is dead code or a typo.",
    type: "suggestion",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      unused: "`{{name}}` is assigned but never read.",
    },
  },
  check(ctx) {
    for (const sym of ctx.model.variables) {
      // Parameters and `for ($x : …)` bindings are required by the syntax even when the body ignores them.
      if (sym.reads.length > 0 || sym.declarationKind === "param" || sym.declarationKind === "for" || IGNORED.test(sym.name)) continue;
      const first = sym.writes[0];
      if (!first) continue;
      ctx.report({ messageId: "unused", data: { name: sym.name }, range: first.node.range });
    }
  },
});
