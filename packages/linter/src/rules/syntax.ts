import { createRule } from "../rule.ts";

/** Surfaces the parser's diagnostics (everything but version checks, which `version-compat` reports). */
export default createRule({
  meta: {
    id: "syntax",
    description: "The program must parse: syntax, literal and attach-point errors reported by the parser.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: { parser: "{{message}}" },
  },
  check(ctx) {
    for (const d of ctx.parseDiagnostics) {
      if (d.code === "version") continue;
      ctx.report({ messageId: "parser", data: { message: d.message }, range: d.range, severity: d.severity });
    }
  },
});
