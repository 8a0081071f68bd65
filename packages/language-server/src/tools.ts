import type { ParseResult, Range } from "@bt/parser";
import type { Machine } from "@bt/system";

/**
 * The shapes the server needs from the linter and the formatter. They are passed in (see
 * ServerOptions) so tests can substitute fakes and a missing tool turns its feature off.
 */

export interface LintFinding {
  ruleId: string;
  severity: "error" | "warning" | "info";
  message: string;
  range: Range;
  fix?: { edits: { range: Range; text: string }[] };
  docsUrl?: string;
}

/**
 * `parsed` is the server's own parse of `text`, made with `options.target`; a linter may use it
 * instead of parsing again (bt's lintText takes it as its `parsed` option).
 */
export type LintFunction = (
  text: string,
  /** `machine`: check attach points and fields against it (the linter's machine rules). */
  options: {
    target: string;
    filePath?: string;
    machine?: Machine;
    /** Rules not to run this time, whatever the configuration says (the incremental lint runs some rules on fewer items). */
    rulesOff?: readonly string[];
    /** What the server's `lintSettings` gave for this file in the same check: the configuration, not to be looked up again. */
    settings?: string;
  },
  parsed?: ParseResult,
) => { findings: LintFinding[] };

export interface FormatOptions {
  filepath?: string;
  tabWidth?: number;
  useTabs?: boolean;
  printWidth?: number;
}

/** Resolves to the formatted text; rejects (with a message) when the text cannot be formatted. */
export type FormatFunction = (text: string, options: FormatOptions) => Promise<string>;
