/**
 * The one place bt-run asks whether a script suits a bpftrace release: the linter's findings for
 * that release (syntax, version rules such as "`delete(@map, key)` needs bpftrace 0.22 … write
 * `delete(@a[1])`", and its other rules), and, given a machine, the attach points and fields that
 * do not exist on it. Before `@bt/linter` existed this returned the parser's
 * diagnostics; the `Finding` shape is the same either way.
 */
import { lintText } from "@bt/linter";
import { parse, type Program, type Range } from "@bt/parser";
import type { Machine } from "@bt/system";
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
  /** This machine's kernel functions, tracepoints, binaries and types: attach points that cannot attach here are errors. */
  machine?: Machine;
  /** `-p PID`: uprobe/usdt attach points may leave out the binary (the process's executable). */
  pid?: number;
  /** The run's positional parameters: `$1`… are typed from their values, as bpftrace types them. */
  positionalParameters?: string[];
  /** Whether the run has `--unsafe` (without it, `system()` and other unsafe functions are refused). */
  unsafe?: boolean;
}

export function validate(text: string, options: ValidateOptions): Finding[] {
  return lintText(text, options).findings;
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
