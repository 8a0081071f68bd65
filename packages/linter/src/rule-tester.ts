/**
 * RuleTester in the manner of typescript-eslint's: `valid` programs must give no finding of the
 * rule; `invalid` programs must give exactly the listed findings (messageId and/or message,
 * line, column, endLine, endColumn, optional severity) and, when `output` is given, applying the
 * fixes until nothing changes must give `output` (`null` = no fix may be offered).
 * Uses vitest's describe/it.
 */
import { describe, expect, it } from "vitest";
import { applyFixes } from "./fix.ts";
import { lintText } from "./lint.ts";
import { rules as registry } from "./rules/index.ts";
import type { Machine } from "@bt/system";
import type { Finding, RuleModule, RuleSetting, Severity } from "./types.ts";

export interface TestOptions {
  target?: string;
  filePath?: string;
  readFileSystem?: boolean;
  /** For the machine checks: usually `machineFromFacts(...)`. */
  machine?: Machine;
  /** The run's positional parameters and --unsafe. */
  positionalParameters?: string[];
  unsafe?: boolean;
  /** Test name; defaults to the code. */
  name?: string;
}

export type ValidCase = string | ({ code: string } & TestOptions);

export interface ExpectedFinding {
  messageId?: string;
  message?: string | RegExp;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity?: Severity;
}

export interface InvalidCase extends TestOptions {
  code: string;
  errors: ExpectedFinding[];
  /** Text after applying every fix (repeatedly); `null`: the findings carry no fix. */
  output?: string | null;
}

export class RuleTester {
  constructor(private readonly defaults: TestOptions = {}) {}

  /** Lints `code` with only `rule` enabled (at its default severity). */
  lintWith(rule: RuleModule, code: string, opts: TestOptions = {}): Finding[] {
    const settings: Record<string, RuleSetting> = {};
    for (const id of Object.keys(registry)) settings[id] = "off";
    delete settings[rule.meta.id];
    return lintText(code, {
      target: opts.target ?? this.defaults.target,
      filePath: opts.filePath ?? this.defaults.filePath,
      readFileSystem: opts.readFileSystem ?? this.defaults.readFileSystem ?? false,
      machine: opts.machine ?? this.defaults.machine,
      positionalParameters: opts.positionalParameters ?? this.defaults.positionalParameters,
      unsafe: opts.unsafe ?? this.defaults.unsafe,
      rules: settings,
    }).findings.filter((f) => f.ruleId === rule.meta.id);
  }

  run(name: string, rule: RuleModule, tests: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    describe(name, () => {
      it("is registered under its id", () => {
        expect(registry[rule.meta.id]).toBe(rule);
        expect(rule.meta.id).toBe(name);
      });
      describe("valid", () => {
        for (const v of tests.valid) {
          const c = typeof v === "string" ? { code: v } : v;
          it(label(c), () => {
            const findings = this.lintWith(rule, c.code, c);
            expect(findings.map(describeFinding)).toEqual([]);
          });
        }
      });
      describe("invalid", () => {
        for (const c of tests.invalid) {
          it(label(c), () => {
            const findings = this.lintWith(rule, c.code, c);
            const actual = findings.map((f, i) => {
              const e = c.errors[i];
              const out: Record<string, unknown> = {
                line: f.range.start.line,
                column: f.range.start.column,
                endLine: f.range.end.line,
                endColumn: f.range.end.column,
              };
              if (e?.messageId !== undefined) out.messageId = f.messageId;
              if (e?.message !== undefined) out.message = e.message instanceof RegExp && e.message.test(f.message) ? e.message : f.message;
              if (e?.severity !== undefined) out.severity = f.severity;
              return out;
            });
            expect(actual, `findings: ${JSON.stringify(findings.map(describeFinding), null, 1)}`).toEqual(
              c.errors.map((e) => ({ ...e })),
            );
            const fixable = findings.some((f) => f.fix);
            if (c.output === null) {
              expect(fixable, "expected no fix").toBe(false);
            } else if (c.output !== undefined) {
              expect(fixable, "expected a fix").toBe(true);
              let text = c.code;
              for (let pass = 0; pass < 10; pass++) {
                const fs = this.lintWith(rule, text, c);
                const r = applyFixes(text, fs);
                if (r.applied === 0) break;
                text = r.text;
              }
              expect(text).toBe(c.output);
            } else {
              expect(fixable, "the findings carry a fix: state `output`").toBe(false);
            }
          });
        }
      });
    });
  }
}

function label(c: { code: string } & TestOptions): string {
  const t = c.target ? ` [${c.target}]` : "";
  return (c.name ?? c.code.replace(/\s+/g, " ").slice(0, 90)) + t;
}

function describeFinding(f: Finding): string {
  return `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.ruleId} ${f.message}`;
}
