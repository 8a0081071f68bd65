import type { Expression } from "@bt/parser";
import { walk } from "@bt/parser";
import { createRule } from "../rule.ts";
import type { Owner } from "@bt/semantic";
import type { RuleContext } from "../types.ts";
import { builtinName, isTimeSource } from "./util.ts";

const UNIQUE = new Set(["nsecs", "elapsed", "rand", "jiffies"]);

export default createRule({
  meta: {
    id: "map-unbounded-key",
    description: "A map keyed by a value that is new on every event (`nsecs`, `elapsed`, `rand`) and never cleared fills up to `max_map_keys` and then drops data.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      unbounded:
        "`{{name}}` is keyed by `{{key}}`, which is different on every event, and is never cleared or deleted from: it fills up to max_map_keys and then silently drops entries.",
    },
  },
  check(ctx) {
    for (const sym of ctx.model.maps.values()) {
      if (sym.uses.some((u) => u.kind === "clear" || u.kind === "delete" || u.kind === "escape")) continue;
      for (const u of sym.uses) {
        if (u.kind !== "write" || !u.access || runsOnce(ctx, u.owner)) continue;
        const bad = u.access.keys.map((k) => uniqueSource(k)).find(Boolean);
        if (bad) {
          ctx.report({ messageId: "unbounded", data: { name: sym.name, key: bad }, range: u.access.range });
          break;
        }
      }
    }
  },
});

/** A write in a probe that fires once (`begin`/`end`) adds one key, however it is computed. */
function runsOnce(ctx: RuleContext, owner: Owner | undefined): boolean {
  if (owner?.type !== "Probe") return false;
  const info = ctx.model.probeInfoOf(owner);
  return !!info && info.context.attachPoints.length > 0 && info.context.beginEndOnly;
}

function uniqueSource(e: Expression): string | undefined {
  let found: string | undefined;
  walk(e, (n) => {
    if (found) return false;
    // `strftime("%m/%d/%y", nsecs)` has the resolution of its format, not of `nsecs`.
    if (n.type === "Call" && n.callee.name === "strftime") return false;
    if (n.type === "Builtin" || n.type === "Identifier" || n.type === "Call") {
      const name = builtinName(n as Expression);
      if ((name && UNIQUE.has(name)) || isTimeSource(n as Expression)) found = name ?? "nsecs";
    }
    return true;
  });
  return found;
}
