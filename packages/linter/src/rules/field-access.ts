import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "field-access",
    description: "Fields, tuple elements and `[]` indexes must exist on the value: no `.field` on an integer, no field a script-defined struct lacks, no index past a tuple's or array's end.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      noFields: "A {{type}} has no fields, so `{{field}}` cannot be read from it. Cast it to a struct pointer first (`(struct foo *)x`).",
      unknownField: "`{{type}}` has no field `{{field}}`.",
      index: "Bad index: {{problem}}.",
      offsetofField: "`offsetof()` reaches `{{field}}` only inside a struct, but here it is in a {{type}}. Name the struct that holds `{{field}}` (`offsetof(struct Bar, {{field}})`).",
      tupleIndex: "This tuple has {{count}} elements (`.0` … `.{{last}}`); `.{{index}}` is past its end.",
    },
  },
  check(ctx) {
    for (const p of ctx.model.types.problems) {
      if (p.code === "tuple-index") {
        ctx.report({ messageId: "tupleIndex", data: { ...p.data, last: Number(p.data.count) - 1 }, range: p.node.range });
      }
    }
    reportTypeProblems(ctx, { "field-access": "noFields", "unknown-field": "unknownField", index: "index", "offsetof-field": "offsetofField" });
  },
});
