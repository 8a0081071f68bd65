import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "variable-type-mismatch",
    description: "A scratch variable keeps the type of its first value (or its declared type): a value of another type cannot be assigned to it.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      mismatch: "`{{name}}` holds values of type {{held}}; a value of type {{value}} cannot be assigned to it. Use a new variable for this value.",
      declarationType: "`{{name}}` cannot be declared {{type}}: aggregations live in maps and `void` holds nothing.",
      untyped: "`{{name}}` is declared without a type and never assigned, so it has no type to read. Declare its type (`let {{name}}: int64;`) or assign it first.",
      declared: "`{{name}}` is declared {{held}}; a value of type {{value}} does not fit. Declare a type that holds it, or cast the value.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "variable-type": "mismatch", "declared-type": "declared", "declaration-type": "declarationType", "untyped-variable": "untyped" });
  },
});
