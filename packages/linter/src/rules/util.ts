import type { Expression } from "@bt/parser";
import { compareReleases } from "@bt/parser";
import warningsJson from "../../../../grammar/data/warnings.json" with { type: "json" };

/** Numeric value of an integer literal (possibly parenthesized or negated), else undefined. */
export function intValue(e: Expression | undefined): number | undefined {
  if (!e) return undefined;
  if (e.type === "Parenthesized") return intValue(e.expression);
  if (e.type === "UnaryExpression" && e.operator === "-") {
    const v = intValue(e.operand);
    return v === undefined ? undefined : -v;
  }
  if (e.type === "IntegerLiteral" && e.value !== undefined) return Number(e.value);
  return undefined;
}

/** `nsecs`, `nsecs()`, `nsecs(monotonic)`, `__builtin_nsecs`, `elapsed`: a nanosecond time. */
export function isTimeSource(e: Expression): boolean {
  if (e.type === "Parenthesized") return isTimeSource(e.expression);
  if ((e.type === "Builtin" || e.type === "Identifier") && /^(__builtin_)?(nsecs|elapsed)$/.test(e.name)) return true;
  if (e.type === "Call" && /^(nsecs|elapsed)$/.test(e.callee.name)) return true;
  return false;
}

export function builtinName(e: Expression): string | undefined {
  if (e.type === "Builtin" || e.type === "Identifier") return e.name.replace(/^__builtin_/, "");
  if (e.type === "Call" && e.args.length === 0) return e.callee.name;
  return undefined;
}

/**
 * Whether bpftrace `target` emits the warnings of `rule` and bt-lint's type model matches it there
 * (language data: grammar/data/warnings.json).
 */
export function warnedIn(rule: string, target: string): boolean {
  const w = WARNINGS.find((x) => x.rule === rule);
  const from = w?.modelledSince ?? w?.since;
  return from === undefined || compareReleases(target, from) >= 0;
}

interface WarningInfo {
  rule: string;
  message: string;
  since?: string;
  modelledSince?: string;
  messageId?: string;
}
const WARNINGS: readonly WarningInfo[] = warningsJson.warnings;

/** Whether a finding of `rule` (with `messageId`) reports something bpftrace itself warns about. */
export function mirrorsBpftraceWarning(rule: string, messageId: string | undefined): boolean {
  const w = WARNINGS.find((x) => x.rule === rule);
  return w !== undefined && (w.messageId === undefined || w.messageId === messageId);
}
