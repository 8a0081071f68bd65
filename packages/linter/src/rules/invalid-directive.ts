import { parseDirectives } from "../directives.ts";
import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "invalid-directive",
    description: "`bt-lint-disable…` comments must name rules that exist.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      unknown: "Unknown rule `{{id}}` in a `bt-lint-{{kind}}` comment.",
    },
  },
  check(ctx) {
    for (const d of parseDirectives(ctx.ast.comments ?? [])) {
      for (const r of d.rules) {
        if (!ctx.ruleIds.has(r.id)) ctx.report({ messageId: "unknown", data: { id: r.id, kind: d.kind }, range: r.range });
      }
    }
  },
});
