import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "variable-out-of-scope",
    description: "Since bpftrace 0.22 scratch variables are block scoped: a variable assigned inside a block cannot be used after it.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      outside: "`{{name}}` is assigned inside a block (line {{line}}) and used outside it; since bpftrace 0.22 variables are block scoped. Declare it before the block: `let {{name}};`.",
    },
  },
  check(ctx) {
    if (!ctx.model.blockScoping) return;
    for (const p of ctx.model.variableProblems) {
      if (p.kind !== "out-of-scope") continue;
      ctx.report({ messageId: "outside", data: { name: p.name, line: p.declaredAt.range.start.line }, range: p.node.range });
    }
  },
});
