import { createRule } from "../rule.ts";
import type { Kind } from "../semantic/types.ts";

const norm = (k: Kind): Kind => (k === "bool" ? "int" : k);

export default createRule({
  meta: {
    id: "map-value-kinds",
    description: "A map's value type is fixed by its first assignment; assigning a different kind of value (or a different aggregation) elsewhere is an error.",
    type: "problem",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      kind: "`{{name}}` was first assigned a value of kind {{first}} (line {{line}}); here it is assigned a value of kind {{kind}}.",
      aggregation: "`{{name}}` was first assigned `{{first}}()` (line {{line}}); it cannot also hold `{{fn}}()`.",
    },
  },
  check(ctx) {
    for (const sym of ctx.model.maps.values()) {
      let first: { kind: Kind; fn?: string; line: number } | undefined;
      for (const u of sym.uses) {
        if (u.kind !== "write" || !u.value || u.assignment?.operator !== "=") continue;
        const kind = norm(ctx.model.typeOf(u.value));
        if (kind === "unknown") continue;
        const v = ctx.model.unwrap(u.value);
        const fn = kind === "aggregation" && v.type === "Call" ? v.callee.name : undefined;
        if (!first) {
          first = { kind, fn, line: u.ref.range.start.line };
          continue;
        }
        if (kind !== first.kind) {
          ctx.report({ messageId: "kind", data: { name: sym.name, first: first.kind, kind, line: first.line }, range: u.value.range });
        } else if (fn && first.fn && fn !== first.fn) {
          ctx.report({ messageId: "aggregation", data: { name: sym.name, first: first.fn, fn, line: first.line }, range: u.value.range });
        }
      }
    }
  },
});
