import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "variable-use-before-assign",
    description: "A scratch variable read before any assignment in its scope is zero (0.23+) or an error (before 0.23).",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      before: "`{{name}}` is read before it is assigned{{where}}.",
    },
  },
  check(ctx) {
    for (const p of ctx.model.variableProblems) {
      if (p.kind !== "use-before-assign") continue;
      const where = ctx.model.blockScoping ? " in this scope" : " in this probe";
      ctx.report({ messageId: "before", data: { name: p.name, where }, range: p.node.range });
    }
  },
});
