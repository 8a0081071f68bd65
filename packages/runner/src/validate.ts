/**
 * The one place bt-run asks whether a script suits a bpftrace release. Today it reports the
 * parser's diagnostics (syntax, and version diagnostics such as "`cpp:` needs bpftrace ≥ 0.19");
 * switching to the full linter is the single line marked below, since `lintText` returns the
 * same `Finding` shape.
 */
import { parse, type Diagnostic, type Program, type Range } from "@bt/parser";
import { inferHistogramUnits } from "./units.ts";
import type { TimeUnit } from "./events.ts";

export interface Finding {
  ruleId: string;
  severity: "error" | "warning" | "info";
  message: string;
  range: Range;
  fix?: unknown;
}

export interface ValidateOptions {
  /** bpftrace release, `0.16`…`0.27`. */
  target?: string;
  filePath?: string;
}

export function validate(text: string, options: ValidateOptions): Finding[] {
  // Switch to the linter with: `return lintText(text, options).findings;` (import from "@bt/linter").
  return parse(text, { target: options.target }).diagnostics.map((d: Diagnostic) => ({
    ruleId: d.code,
    severity: d.severity,
    message: d.message,
    range: d.range,
  }));
}

/** Units of the script's time histograms (see units.ts); empty when the script does not parse. */
export function histogramUnits(text: string, target?: string): Map<string, TimeUnit> {
  const { ast } = parse(text, { target });
  return inferHistogramUnits(ast as Program);
}

/** `file:line:col: severity: message [rule]`, the format compilers and editors link. */
export function formatFinding(f: Finding, file: string): string {
  return `${file}:${f.range.start.line}:${f.range.start.column}: ${f.severity}: ${f.message} [${f.ruleId}]`;
}
