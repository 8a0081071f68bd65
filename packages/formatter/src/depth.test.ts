/** Depth: long flat chains and the deepest nesting the parser takes format without overflowing the stack. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BPFTRACE_NESTING, MAX_NESTING, NESTING_SHAPES, type NestingConstruct } from "@bt/parser";
import * as prettier from "prettier";
import { format } from "./format.ts";

const terms = (n: number, term: string, op: string) => Array(n).fill(term).join(` ${op} `);

describe("depth", () => {
  it("a chain of 100,000 terms: one operand per line, as for a short chain too long for the line", async () => {
    const out = await format(`BEGIN { $x = ${terms(100_000, "1", "+")}; print($x); }\n`);
    expect(out).toBe(`BEGIN\n{\n  $x = 1 +\n${"    1 +\n".repeat(99_998)}    1;\n  print($x);\n}\n`);
  }, 60_000);

  it("comments inside a 100,000-term chain stay where they were (Prettier's comment attachment sees the operands)", async () => {
    const text = `BEGIN { $x = 1 /* first */ + ${terms(50_000, "1", "+")} /* middle */ + ${terms(49_999, "1", "+")}; }\n`;
    const out = await format(text);
    expect(out.startsWith("BEGIN\n{\n  $x = 1 /* first */ +\n    1 +\n")).toBe(true);
    const lines = out.split("\n");
    expect(lines.indexOf("    1 /* middle */ +")).toBe(2 + 50_000); // after term 50,001, as written
    expect(await format(out)).toBe(out);
  }, 60_000);

  it("100,000 conditions in an if and in a predicate", async () => {
    const condition = await format(`BEGIN { $x = 1; if (${terms(100_000, "$x", "&&")}) { print(1); } }\n`);
    expect(condition.split("$x").length - 1).toBe(100_001);
    const predicate = await format(`kprobe:f /${terms(100_000, "pid", "||")}/ { print(1); }\n`);
    expect(predicate.split("pid").length - 1).toBe(100_000);
    expect(await format(predicate)).toBe(predicate);
  }, 60_000);

  for (const [name, program] of Object.entries(NESTING_SHAPES)) {
    it(`${name} at the parser's limit (${MAX_NESTING} levels)`, async () => {
      const out = await format(program(MAX_NESTING));
      expect(await format(out)).toBe(out);
    });
  }
});

const bin = fileURLToPath(new URL("../bin/bt-fmt.js", import.meta.url));

describe(`bt-fmt as a process: deep files are formatted on a worker's large stack, as deep as bpftrace takes them`, () => {
  const dir = mkdtempSync(join(tmpdir(), "bt-fmt-depth-"));
  for (const [construct, shape] of Object.entries(NESTING_SHAPES) as [NestingConstruct, (n: number) => string][]) {
    const limit = BPFTRACE_NESTING[construct];
    it(`${construct}: ${limit} levels format (and the output formats to itself), ${limit + 1} are refused at their place`, () => {
      const at = join(dir, `${construct}-at.bt`);
      const past = join(dir, `${construct}-past.bt`);
      writeFileSync(at, shape(limit));
      writeFileSync(past, shape(limit + 1));
      const ok = spawnSync(bin, [at], { encoding: "utf8", maxBuffer: 1 << 30 });
      expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: "" });
      const again = spawnSync(bin, ["--stdin-filepath", "a.bt"], { input: ok.stdout, encoding: "utf8", maxBuffer: 1 << 30 });
      expect(again.stdout === ok.stdout).toBe(true);
      const refused = spawnSync(bin, [past], { encoding: "utf8" });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`^${past.replace(/[.*+?^\${}()|[\]\\]/g, "\\$&")}:1:\\d+: error: nesting is too deep \\(${construct} past `));
    }, 120_000);
  }
});

describe("prettier --plugin: deep programs are formatted on a worker's large stack, as deep as bpftrace takes them", () => {
  // the built plugin (dist/index.js, `npm run build`), which names itself as the worker's script
  const plugin = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  const viaPrettier = (text: string) => prettier.format(text, { parser: "bpftrace", plugins: [plugin] });
  for (const [construct, shape] of Object.entries(NESTING_SHAPES) as [NestingConstruct, (n: number) => string][]) {
    const limit = BPFTRACE_NESTING[construct];
    it(`${construct}: ${limit} levels with comments format as bt-fmt formats them; ${limit + 1} are refused at their place`, async () => {
      const text = `// first\n${shape(limit).replace("BEGIN {", "BEGIN { /* inner */")}// last\n`;
      const out = await viaPrettier(text);
      const btFmt = spawnSync(bin, ["--stdin-filepath", "a.bt"], { input: text, encoding: "utf8", maxBuffer: 1 << 30 });
      expect(out === btFmt.stdout).toBe(true);
      expect(out.startsWith("// first\n")).toBe(true);
      expect(out.endsWith("// last\n")).toBe(true);
      expect(out).toContain("/* inner */");
      expect(await viaPrettier(out)).toBe(out);
      const refused = (await viaPrettier(shape(limit + 1)).catch((e: unknown) => e)) as SyntaxError & { loc: { start: { line: number } } };
      expect(refused).toBeInstanceOf(SyntaxError);
      expect(refused.loc.start.line).toBe(1);
      expect(refused.message).toMatch(new RegExp(`^nesting is too deep \\(${construct} past ${limit.toLocaleString("en")} levels`));
    }, 120_000);
  }
});
