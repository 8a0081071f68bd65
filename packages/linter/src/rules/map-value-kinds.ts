import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "map-value-kinds",
    description: "A map's value type is fixed by its first assignment; assigning a different kind of value (or a different aggregation) elsewhere is an error.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      type: "`{{name}}` holds {{held}} values (its first assignment); a value of type {{value}} cannot be stored in it. Use another map for this value.",
      aggregationCopy: "`{{name}}` would get a copy of a {{type}} map, which bpftrace cannot copy. Call the aggregation on `{{name}}` itself, or assign an integer to `{{name}}` first to copy the current value.",
      histBits: "`{{name}}` was given `hist()` with precision {{before}}; one map cannot mix precisions (here {{now}}).",
      declKind: "`{{name}}` is declared with the wrong kind: {{problem}}.",
      lhistBounds: "`{{name}}` was given `lhist()` with bounds ({{before}}); one map cannot mix bounds (here {{now}}).",
      aggregationValue: "`{{name}}` holds a {{fn}}() aggregation, which can be printed or cleared but not used as {{use}}. Keep the values in a map of integers instead.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "map-value-type": "type", "aggregation-copy": "aggregationCopy", "hist-bits": "histBits", "aggregation-value": "aggregationValue", "lhist-bounds": "lhistBounds", "map-decl-kind": "declKind" });
  },
});
