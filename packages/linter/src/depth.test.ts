/** Depth: every rule runs on long flat chains and on the deepest nesting the parser takes, without overflowing the stack. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BPFTRACE_NESTING, MAX_NESTING, NESTING_SHAPES, type NestingConstruct } from "@bt/parser";
import { lintText } from "./lint.ts";

const terms = (n: number, term: string, op: string) => Array(n).fill(term).join(` ${op} `);

const programs: Record<string, string> = {
  "a 100,000-term sum": `BEGIN { $x = ${terms(100_000, "1", "+")}; @m[1] = $x; print(@m); }\n`,
  "100,000 conditions in an if": `BEGIN { $x = 1; if (${terms(100_000, "$x", "&&")}) { print(1); } }\n`,
  "100,000 conditions in a predicate": `kprobe:f /${terms(100_000, "pid", "||")}/ { print(1); }\n`,
  "a 100,000-term string comparison chain": `BEGIN { $s = "a"; $x = ${terms(100_000, "$s", "==")}; }\n`,
  [`${MAX_NESTING} levels of parentheses`]: `BEGIN { $x = ${"(".repeat(MAX_NESTING - 1)}1${")".repeat(MAX_NESTING - 1)}; }\n`,
  [`${MAX_NESTING} levels of blocks`]: `BEGIN ${"{ ".repeat(MAX_NESTING)}$x = 1;${" }".repeat(MAX_NESTING)}\n`,
  [`${MAX_NESTING} levels of if`]: `BEGIN { $x = 1; ${"if ($x) { ".repeat(MAX_NESTING - 2)}$x = 2;${" }".repeat(MAX_NESTING - 2)} }\n`,
  [`${MAX_NESTING} unary operators`]: `BEGIN { $x = 1; $y = ${"!".repeat(MAX_NESTING - 1)}$x; }\n`,
  [`${MAX_NESTING} nested calls`]: `BEGIN { $x = ${"max(".repeat(MAX_NESTING - 1)}1${")".repeat(MAX_NESTING - 1)}; }\n`,
  [`${MAX_NESTING} else-ifs`]: `BEGIN { $x = 1; if ($x) { $x = 2; }${" else if ($x) { $x = 3; }".repeat(MAX_NESTING - 1)} }\n`,
};

describe("depth", () => {
  for (const [name, text] of Object.entries(programs)) {
    it(`${name}: parses, and no rule fails`, () => {
      const result = lintText(text, { target: "0.27" });
      expect(result.parseOk).toBe(true);
      expect(result.findings.filter((f) => /internal error|call stack/i.test(f.message)).map((f) => f.message)).toEqual([]);
    }, 60_000);
  }
});

describe(`bt-lint as a process: deep files are linted on a worker's large stack, as deep as bpftrace takes them`, () => {
  const bin = fileURLToPath(new URL("../bin/bt-lint.js", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "bt-lint-depth-"));
  for (const [construct, shape] of Object.entries(NESTING_SHAPES) as [NestingConstruct, (n: number) => string][]) {
    const limit = BPFTRACE_NESTING[construct];
    it(`${construct}: ${limit} levels lint, ${limit + 1} are one syntax error`, () => {
      const at = join(dir, `${construct}-at.bt`);
      const past = join(dir, `${construct}-past.bt`);
      writeFileSync(at, shape(limit));
      writeFileSync(past, shape(limit + 1));
      const ok = spawnSync(process.execPath, [bin, "--format", "json", "--target", "0.27", at], { encoding: "utf8", maxBuffer: 1 << 30 });
      expect(ok.stderr).toBe("");
      const findings = (JSON.parse(ok.stdout) as { findings: { rule: string; message: string }[] }[])[0].findings;
      expect(findings.filter((f) => f.rule === "syntax" || /nesting|internal|call stack/i.test(f.message))).toEqual([]);
      const refused = spawnSync(process.execPath, [bin, "--format", "json", "--target", "0.27", past], { encoding: "utf8" });
      expect(refused.status).toBe(1);
      const pastFindings = (JSON.parse(refused.stdout) as { findings: { rule: string; message: string }[] }[])[0].findings;
      expect(pastFindings.filter((f) => f.rule === "syntax").map((f) => f.message)).toEqual([expect.stringMatching(new RegExp(`^nesting is too deep \\(${construct} past `))]);
    }, 60_000);
  }
});
