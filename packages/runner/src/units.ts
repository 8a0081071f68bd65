/**
 * Which histogram maps hold durations, read from the script: `hist(nsecs - @start[tid])` is in
 * nanoseconds, `hist((nsecs - @s[pid]) / 1000000000)` in seconds (the lab's exercise 4.3).
 * bpftrace's JSON has no units, so this is what lets bt-run label buckets `[131µs, 262µs)`.
 *
 * The analysis is deliberately small and flow-insensitive: a map or `$variable` takes the unit
 * of what is assigned to it anywhere in the script, and conflicting assignments give no unit.
 */
import { walk, type Expression, type Node, type Program } from "@bt/parser";
import type { TimeUnit } from "./events.ts";

const ORDER: TimeUnit[] = ["ns", "us", "ms", "s"];
const TIME_SOURCES = new Set(["nsecs", "elapsed"]);
const HIST_FUNCS = new Set(["hist", "lhist"]);

/** Map name (`@lifetime_hist`) → unit of its histogram values. */
export function inferHistogramUnits(program: Program): Map<string, TimeUnit> {
  // Units of plain maps and variables (for `@start[tid] = nsecs` and `$d = nsecs - …`).
  const holders = new Map<string, TimeUnit | null>();
  const assignments: { name: string; value: Expression }[] = [];
  walk(program as Node, (node) => {
    if (node.type === "Assignment" || (node.type === "LetStatement" && node.value)) {
      const target = node.type === "Assignment" ? node.target : node.variable;
      const name = target.type === "MapAccess" ? target.map.name : target.name;
      assignments.push({ name, value: node.value! });
    }
  });
  // Two passes so `$d = nsecs - @start[pid]` sees `@start`'s unit wherever it is assigned.
  for (let pass = 0; pass < 2; pass++) {
    for (const { name, value } of assignments) {
      if (value.type === "Call" && HIST_FUNCS.has(value.callee.name)) continue;
      const unit = unitOf(value, holders);
      if (unit === undefined) continue;
      const prev = holders.get(name);
      holders.set(name, prev === undefined || prev === unit ? unit : null);
    }
  }
  const result = new Map<string, TimeUnit | null>();
  for (const { name, value } of assignments) {
    if (value.type !== "Call" || !HIST_FUNCS.has(value.callee.name)) continue;
    const arg = value.args[0];
    const unit = arg && arg.type !== "TypeofType" ? unitOf(arg, holders) : undefined;
    const prev = result.get(name);
    if (unit === undefined) result.set(name, null);
    else result.set(name, prev === undefined || prev === unit ? unit : null);
  }
  const out = new Map<string, TimeUnit>();
  for (const [name, unit] of result) if (unit) out.set(name, unit);
  return out;
}

function unitOf(e: Expression, holders: Map<string, TimeUnit | null>): TimeUnit | undefined {
  switch (e.type) {
    case "Builtin":
    case "Identifier":
      return TIME_SOURCES.has(e.name) ? "ns" : undefined;
    case "Call":
      // `nsecs()` / `nsecs(monotonic)` in newer releases.
      return TIME_SOURCES.has(e.callee.name) ? "ns" : undefined;
    case "Variable":
    case "MapRef":
      return holders.get(e.name) ?? undefined;
    case "MapAccess":
      return holders.get(e.map.name) ?? undefined;
    case "Parenthesized":
      return unitOf(e.expression, holders);
    case "Cast":
      return unitOf(e.operand, holders);
    case "BinaryExpression": {
      const l = unitOf(e.left, holders);
      if (e.operator === "+" || e.operator === "-") {
        const r = unitOf(e.right, holders);
        if (l && r) return l === r ? l : undefined;
        return l ?? r;
      }
      if (e.operator === "/" && l) {
        const d = literal(e.right);
        if (d === undefined) return undefined;
        return scaleDown(l, d);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function literal(e: Expression): number | undefined {
  if (e.type === "Parenthesized") return literal(e.expression);
  if (e.type !== "IntegerLiteral" || e.value === undefined) return undefined;
  return Number(e.value);
}

/** `ns / 1000` → `us`; `ns / 1e9` → `s`; a divisor that is not 1000ⁿ gives no unit. */
function scaleDown(unit: TimeUnit, divisor: number): TimeUnit | undefined {
  let i = ORDER.indexOf(unit);
  let d = divisor;
  while (d >= 1000 && d % 1000 === 0 && i < ORDER.length - 1) {
    d /= 1000;
    i++;
  }
  return d === 1 ? ORDER[i] : undefined;
}
