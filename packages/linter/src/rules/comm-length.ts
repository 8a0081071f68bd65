import { walk } from "@bt/parser";
import { createRule } from "../rule.ts";
import { builtinName } from "./util.ts";

/** The kernel's TASK_COMM_LEN is 16: comm holds at most 15 characters. */
const MAX_COMM = 15;

export default createRule({
  meta: {
    id: "comm-length",
    description: "`comm` holds at most 15 characters (TASK_COMM_LEN 16), so comparing it with a longer string is never true.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      tooLong:
        "`comm` is at most 15 characters, so `{{op}} \"{{value}}\"` ({{len}} characters) is {{always}}; the kernel truncates the name to \"{{truncated}}\".",
    },
  },
  check(ctx) {
    walk(ctx.ast, (node) => {
      if (node.type !== "BinaryExpression" || (node.operator !== "==" && node.operator !== "!=")) return;
      const l = ctx.model.unwrap(node.left);
      const r = ctx.model.unwrap(node.right);
      const lit = builtinName(l) === "comm" && r.type === "StringLiteral" ? r : builtinName(r) === "comm" && l.type === "StringLiteral" ? l : undefined;
      if (!lit || lit.type !== "StringLiteral") return;
      const chars = [...lit.value];
      if (chars.length <= MAX_COMM) return;
      ctx.report({
        messageId: "tooLong",
        data: {
          op: node.operator,
          value: lit.value,
          len: chars.length,
          always: node.operator === "==" ? "never true" : "always true",
          truncated: chars.slice(0, MAX_COMM).join(""),
        },
        range: lit.range,
      });
    });
  },
});
