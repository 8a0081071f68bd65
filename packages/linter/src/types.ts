import type { Diagnostic, Node, Program, Range } from "@bt/parser";
import type { Machine } from "@bt/system";
import type { SemanticModel, TypeSource } from "@bt/semantic";

export type { Range };

/** Severity of a finding as reported. */
export type Severity = "error" | "warning" | "info";
/** Severity as configured (`warn` is the ESLint spelling of `warning`). */
export type RuleSetting = "off" | "warn" | "error" | "info";

export interface FixEdit {
  range: Range;
  text: string;
}

export interface Fix {
  edits: FixEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  fix?: Fix;
  docsUrl?: string;
  /** Which of the rule's messages this is (for tests and tools; the text is in `message`). */
  messageId?: string;
}

export interface LintOptions {
  /** bpftrace release to check against (`0.16`…`0.27`, `v0.21.0`, …); default: the latest. */
  target?: string;
  /** Used for messages and to resolve relative uprobe paths; not read. */
  filePath?: string;
  /** Per-rule severity overrides. */
  rules?: Record<string, RuleSetting>;
  /**
   * Whether rules may look at the file system (count nix-store glob matches, read the
   * symbols of a uprobe binary). Default true.
   */
  readFileSystem?: boolean;
  /**
   * What this machine offers (kernel functions, tracepoints, kernel types, binaries), for the
   * machine checks (`machine-*` rules). Off by default: `bt-lint --machine` or `"machine": true`.
   */
  machine?: Machine;
  /**
   * Where kernel and binary types come from for the type checker, without the machine checks
   * (the semantic conformance test types BTF-dependent programs from this machine's BTF). Default:
   * from `machine` when given, else none.
   */
  typeSource?: TypeSource;
  /**
   * The program runs with `bpftrace -p PID`: uprobe/usdt attach points may leave out the binary,
   * which is then this process's executable (checked against the machine when one is given).
   */
  pid?: number;
  /** The run's positional parameters (`$1` first), when known (bt-run): `$N` is then typed from its value. */
  positionalParameters?: string[];
  /** Whether the run has `--unsafe`, when known (bt-run): `false` refuses unsafe functions (`system()`). */
  unsafe?: boolean;
}

export interface LintResult {
  findings: Finding[];
  parseOk: boolean;
  target: string;
}

export interface RuleMeta {
  /** kebab-case id; also the name of the rule file, test file and docs page. */
  id: string;
  /** One line, identical to the first paragraph of the docs page. */
  description: string;
  type: "problem" | "suggestion";
  defaultSeverity: Severity | "off";
  /** Whether some reports carry an exact autofix. */
  fixable: boolean;
  /** messageId → text with `{{placeholders}}`. */
  messages: Record<string, string>;
  /**
   * What a finding in a probe depends on. `attach-points`: only that probe's attach points (and
   * the machine and file system), so an editor re-checking one edited probe may keep the rule's
   * findings in the others. Default: the whole program.
   */
  scope?: "attach-points";
  docsUrl: string;
}

export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  range: Range;
  fix?: Fix;
  /** Override the configured severity for this one report (e.g. "deprecated" is info, "removed" an error). */
  severity?: Severity;
}

export interface RuleContext {
  text: string;
  ast: Program;
  target: string;
  filePath?: string;
  readFileSystem: boolean;
  /** Set when machine checks are on (`--machine`). */
  machine?: Machine;
  /** `bpftrace -p PID`, when known (bt-run). */
  pid?: number;
  model: SemanticModel;
  /** Diagnostics of the parser (rules `syntax` and `version-compat` turn them into findings). */
  parseDiagnostics: Diagnostic[];
  report(report: Report): void;
  /** Every registered rule id (for directive checking). */
  ruleIds: ReadonlySet<string>;
  /** Source text of a node or range. */
  source(node: Node | Range): string;
}

export interface RuleModule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
