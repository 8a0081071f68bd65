import { createConfigResolver, lintText } from "@bt/linter";
import { format } from "prettier-plugin-bpftrace/source";
import { readablePart } from "./broken.ts";
import type { ServerOptions } from "./server.ts";

/**
 * The real tools the server uses outside tests: the bt linter and the Prettier plugin, both
 * consumed from source and bundled into bt-lsp. Kept in one place so the server itself stays
 * free of package wiring and tests can pass fakes.
 *
 * Rule settings come from the same `.btlintrc.json` / `package.json#bt-lint` that bt-lint reads
 * for the file (looked up again on each check, so edits to it apply at the next change); the
 * release comes from `bt.target`. A broken configuration makes the linter fail, which the
 * diagnostics feature logs once per check while showing the parser's diagnostics.
 *
 * bt-lint runs no rule on a file with grammar errors. In an editor the file is broken most of
 * the time while typing, so a broken file is linted a second time as the tree the parser
 * recovered, told that it parsed; the diagnostics feature then drops what overlaps the broken
 * parts.
 */
export function defaultOptions(): ServerOptions {
  const rulesOf = (filePath: string | undefined) => (filePath ? createConfigResolver()(filePath).config.rules : undefined);
  return {
    lintSettings: (filePath) => JSON.stringify(rulesOf(filePath) ?? null),
    lint: (text, options, parsed) => {
      const configured = options.settings === undefined ? rulesOf(options.filePath) : ((JSON.parse(options.settings) as ReturnType<typeof rulesOf> | null) ?? undefined);
      const rules = options.rulesOff ? { ...configured, ...Object.fromEntries(options.rulesOff.map((id) => [id, "off" as const])) } : configured;
      const base = { target: options.target, filePath: options.filePath, rules, machine: options.machine };
      const whole = lintText(text, { ...base, parsed });
      if (whole.parseOk || !parsed) return whole;
      const recovered = lintText(text, { ...base, parsed: readablePart(parsed) });
      const reported = new Set(whole.findings.map(findingKey));
      return { findings: [...whole.findings, ...recovered.findings.filter((f) => !reported.has(findingKey(f)))] };
    },
    format: (text, options) => format(text, options),
  };
}

function findingKey(f: { ruleId: string; message: string; range: { start: { offset: number }; end: { offset: number } } }): string {
  return `${f.ruleId}|${f.range.start.offset}|${f.range.end.offset}|${f.message}`;
}
