import { createRule } from "../rule.ts";
import { warnedIn } from "./util.ts";

export default createRule({
  meta: {
    id: "variable-use-before-assign",
    description: "A scratch variable read before any assignment in its scope is zero (0.23+) or an error (before 0.23).",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      before: "`{{name}}` is read before it is assigned{{where}}.",
      beforeValue: "`{{name}}` is declared without a value (line {{line}}) and read here before any assignment: it reads as zero. Give it a value where it is declared.",
      neverAssigned: "`{{name}}` is declared without a value and never assigned. Give it a value, or remove it.",
    },
  },
  check(ctx) {
    // bpftrace warns about `let $x;` read before a value (language data: warnings.json).
    if (warnedIn("variable-use-before-assign", ctx.target)) {
      for (const p of ctx.model.variableProblems) {
        if (p.kind === "read-before-value") ctx.report({ messageId: "beforeValue", data: { name: p.name, line: p.declaredAt.range.start.line }, range: p.node.range, severity: "warning" });
        if (p.kind === "never-assigned") ctx.report({ messageId: "neverAssigned", data: { name: p.name }, range: p.node.range, severity: "warning" });
      }
    }
    for (const p of ctx.model.variableProblems) {
      if (p.kind !== "use-before-assign") continue;
      const where = ctx.model.blockScoping ? " in this scope" : " in this probe";
      ctx.report({ messageId: "before", data: { name: p.name, where }, range: p.node.range });
    }
  },
});
