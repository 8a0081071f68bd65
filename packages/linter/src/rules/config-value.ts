import type { ConfigItem } from "@bt/parser";
import { language } from "@bt/parser";
import { createRule } from "../rule.ts";

/** The text bpftrace reads from a config value written as a word or a string; undefined for numbers and booleans. */
function valueText(item: ConfigItem): string | undefined {
  const v = item.value;
  if (v.type === "StringLiteral") return v.value;
  if (v.type === "Identifier" || v.type === "Builtin") return v.name;
  return undefined;
}

/** bpftrace parses a numeric key's text as an unsigned number (`"10"` is fine, `"hello"` and `"10abc"` are not). */
const NUMBER_TEXT = /^\s*(?:0x[0-9a-f]+|\d[\d_]*)\s*$/i;

export default createRule({
  meta: {
    id: "config-value",
    description: "Config values must be of their key's kind: a number for numeric keys (`max_probes`), one of the listed values for keys that take a choice (`stack_mode`, `missing_probes`, `unstable_*`).",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      number: "`{{key}}` takes a number, not `{{value}}`.",
      choice: "`{{key}}` takes one of {{values}}, not `{{value}}`.",
    },
  },
  check(ctx) {
    for (const t of ctx.ast.body) {
      if (t.type !== "ConfigBlock") continue;
      for (const item of t.items) {
        const { status, entry: key } = language.configKeyStatus(item.key.name, ctx.target);
        // Unknown, renamed and ignored (deprecated) keys are the parser's and version-compat's.
        if (status !== "ok" || !key) continue;
        const text = valueText(item);
        if (key.kind === "int" && text !== undefined && !NUMBER_TEXT.test(text)) {
          ctx.report({ messageId: "number", data: { key: item.key.name, value: text }, range: item.range });
        } else if ((key.kind === "enum" || key.kind === "unstable") && key.values) {
          // bpftrace compares most choices without regard to case (`Warn`, `per_pid`).
          // An unstable key also takes 1/0 and true/false.
          const given = item.value.type === "IntegerLiteral" && key.kind === "enum" ? item.value.raw : text;
          if (given !== undefined && !key.values.some((v) => v.toLowerCase() === given.toLowerCase()))
            ctx.report({ messageId: "choice", data: { key: item.key.name, value: given, values: key.values.join(", ") }, range: item.range });
        }
      }
    }
  },
});
