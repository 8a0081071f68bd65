import { createRule } from "../rule.ts";

export default createRule({
  meta: {
    id: "map-never-deleted",
    description:
      "A keyed map written in one probe and read in another (a start-time map) must `delete` its entries, or it grows until `max_map_keys` and then silently drops updates.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      never:
        "`{{name}}[…]` is written here and read in another probe but its entries are never deleted: it grows until max_map_keys and then new entries are silently dropped. Add `delete({{name}}, key)` where the entry is consumed.",
    },
  },
  check(ctx) {
    for (const sym of ctx.model.maps.values()) {
      const uses = sym.uses.filter((u) => u.owner?.type !== "MacroDef");
      if (uses.some((u) => u.kind === "delete" || u.kind === "escape")) continue;
      // A clear() outside begin/end bounds the map (periodic reset).
      if (uses.some((u) => u.kind === "clear" && u.owner?.type === "Probe" && !isBeginEnd(ctx, u.owner))) continue;
      // Lookup tables filled in begin/end, or with constant keys, are bounded.
      const writes = uses.filter(
        (u) =>
          u.kind === "write" &&
          u.access &&
          u.value &&
          ctx.model.typeOf(u.value) !== "aggregation" &&
          !(u.owner?.type === "Probe" && isBeginEnd(ctx, u.owner)) &&
          !u.access.keys.every((k) => isConstant(ctx.model.unwrap(k))),
      );
      if (writes.length === 0) continue;
      const writeOwners = new Set(writes.map((w) => w.owner));
      const readElsewhere = uses.some((u) => u.kind === "read" && u.access && u.owner && !writeOwners.has(u.owner) && !(u.owner.type === "Probe" && isBeginEnd(ctx, u.owner)));
      if (!readElsewhere) continue;
      ctx.report({ messageId: "never", data: { name: sym.name }, range: writes[0].access!.range });
    }
  },
});

function isBeginEnd(ctx: import("../types.ts").RuleContext, probe: import("@bt/parser").Probe): boolean {
  const info = ctx.model.probeInfoOf(probe);
  return !!info && info.context.beginEndOnly;
}

function isConstant(e: import("@bt/parser").Expression): boolean {
  return e.type === "IntegerLiteral" || e.type === "StringLiteral" || e.type === "BooleanLiteral" || (e.type === "Identifier" && /^[A-Z_][A-Z0-9_]*$/.test(e.name));
}
