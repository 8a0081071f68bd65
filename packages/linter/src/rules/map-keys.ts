import { createRule } from "../rule.ts";
import { reportTypeProblems } from "./type-problems.ts";

export default createRule({
  meta: {
    id: "map-keys",
    description: "A map is used with the same number and types of keys everywhere, and either always or never with keys.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      keyType: "`{{name}}` is keyed by ({{before}}) elsewhere; here its key is ({{now}}). Use the same key types, or another map.",
      scalarCall: "`{{fn}}()` needs a map used with keys, but `{{name}}` is used without keys.",
      scalarLoop: "`for` iterates over a map's keys and values, but `{{name}}` is used without keys. Read it directly instead.",
      scalarAndKeyed: "`{{name}}` is used {{now}} here but {{before}} before; a map is either keyed or not. Use another map for one of them.",
    },
  },
  check(ctx) {
    reportTypeProblems(ctx, { "map-key-type": "keyType", "map-scalar-and-keyed": "scalarAndKeyed", "scalar-map-call": "scalarCall", "scalar-map-loop": "scalarLoop" });
  },
});
