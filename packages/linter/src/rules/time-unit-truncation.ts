import type { Expression, Node } from "@bt/parser";
import { walk } from "@bt/parser";
import { createRule } from "../rule.ts";
import type { RuleContext } from "../types.ts";
import { intValue, isTimeSource } from "./util.ts";

const SECOND = 1_000_000_000;

export default createRule({
  meta: {
    id: "time-unit-truncation",
    description:
      "Integer division of a nanosecond time by 1e9 (or more) before `hist`/`lhist` truncates: everything shorter than a second lands in bucket 0.",
    type: "problem",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      seconds:
        "Integer division by {{divisor}} truncates: every duration under {{unit}} becomes 0, so almost every value lands in bucket [0]. Keep more precision, e.g. `{{fn}}({{numerator}} / 1000000)` for milliseconds, and read the buckets as ms (1K ms = 1 s).",
    },
  },
  check(ctx) {
    for (const call of ctx.model.calls) {
      const fn = call.callee.name;
      if (fn !== "hist" && fn !== "lhist") continue;
      const arg = call.args[0] as Expression | undefined;
      if (!arg) continue;
      walk(arg, (n: Node) => {
        if (n.type !== "BinaryExpression" || n.operator !== "/") return;
        const d = intValue(n.right);
        if (d === undefined || d < SECOND) return;
        if (!involvesTime(ctx, n.left)) return;
        ctx.report({
          messageId: "seconds",
          data: { divisor: ctx.source(n.right), unit: d === SECOND ? "one second" : `${d / SECOND} seconds`, fn, numerator: ctx.source(n.left) },
          range: n.range,
        });
      });
    }
  },
});

/** Whether an expression contains a nanosecond time: nsecs/elapsed, or a variable or map holding one. */
function involvesTime(ctx: RuleContext, e: Expression, depth = 0): boolean {
  let found = false;
  walk(e, (n) => {
    if (found) return false;
    const x = n as Expression;
    if (isTimeSource(x)) found = true;
    else if (depth < 3 && (x.type === "MapAccess" || x.type === "MapRef")) {
      const sym = ctx.model.maps.get(x.type === "MapRef" ? x.name : x.map.name);
      found = !!sym?.uses.some((u) => u.kind === "write" && u.value && involvesTime(ctx, u.value, depth + 1));
    } else if (depth < 3 && x.type === "Variable") {
      const sym = ctx.model.symbolOf(x);
      found = !!sym?.writes.some((w) => w.value && involvesTime(ctx, w.value, depth + 1));
    }
    return true;
  });
  return found;
}
