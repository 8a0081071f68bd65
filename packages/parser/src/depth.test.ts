/** Depth: what bpftrace takes (long flat chains) parses without recursion per term; nesting stops at MAX_NESTING with a diagnostic. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BPFTRACE_NESTING, MAX_NESTING, NESTING_SHAPES, findTooDeep, parse, scanNestingDepth, walk, type NestingConstruct, type Node } from "./index.ts";
import { lex } from "./lexer.ts";

const chain = (n: number, op = "+") => `BEGIN { $x = ${Array(n).fill("1").join(` ${op} `)}; print($x); }\n`;


describe("depth", () => {
  it("a chain of 100,000 terms parses (bpftrace takes at least 5,000)", () => {
    const { ast, diagnostics } = parse(chain(100_000));
    expect(diagnostics).toEqual([]);
    let binaries = 0;
    walk(ast, (n: Node) => {
      if (n.type === "BinaryExpression") binaries++;
    });
    expect(binaries).toBe(99_999);
  });

  for (const [name, program] of Object.entries(NESTING_SHAPES)) {
    it(`${name}: ${MAX_NESTING} levels parse, one more is a diagnostic at the level that passes the limit`, () => {
      expect(parse(program(MAX_NESTING)).diagnostics).toEqual([]);
      const deeper = parse(program(MAX_NESTING + 50)).diagnostics;
      const tooDeep = deeper.find((d) => d.message.startsWith("nesting is too deep"));
      expect(tooDeep?.severity).toBe("error");
      expect(tooDeep!.range.start.offset).toBeGreaterThan(0);
      expect(deeper.some((d) => d.message.includes("internal"))).toBe(false);
      // the item with the deep nesting is dropped whole, the items before it are kept
      const withNeighbour = parse(`END { print(2); }\n${program(MAX_NESTING + 50)}`);
      expect(withNeighbour.ast.body.map((n) => n.type)).toEqual(["Probe"]);
      expect(withNeighbour.ast.body[0].range.start.line).toBe(1);
    });
  }
});

describe("depth as deep as bpftrace", () => {
  for (const [construct, shape] of Object.entries(NESTING_SHAPES) as [NestingConstruct, (n: number) => string][]) {
    const limit = BPFTRACE_NESTING[construct];
    it(`${construct}: ${limit} levels pass the large-stack limit, ${limit + 1} are refused naming ${construct}`, () => {
      expect(findTooDeep(lex(shape(limit)).tokens, true)).toBeUndefined();
      const past = findTooDeep(lex(shape(limit + 1)).tokens, true);
      expect(past?.problem.message).toBe(
        `nesting is too deep (${construct} past ${limit.toLocaleString("en-US")} levels, where bpftrace 0.27 crashes); this item and the rest of the file were not parsed`,
      );
    });
    it(`${construct}: the text pre-scan sends ${MAX_NESTING + 1} levels to a large stack, and not ${Math.floor(MAX_NESTING / 3)}`, () => {
      expect(scanNestingDepth(shape(MAX_NESTING + 1))).toBeGreaterThan(MAX_NESTING);
      expect(scanNestingDepth(shape(Math.floor(MAX_NESTING / 3)))).toBeLessThanOrEqual(MAX_NESTING);
    });
  }

  it("on the default stack, casts count towards MAX_NESTING (1,000 nested casts overflowed the parser)", () => {
    expect(parse(NESTING_SHAPES.casts(MAX_NESTING)).diagnostics).toEqual([]);
    const past = parse(NESTING_SHAPES.casts(1000)).diagnostics;
    expect(past.map((d) => d.message)).toEqual([expect.stringMatching(/^nesting is too deep \(more than 200 levels\)/)]);
  });

  it("a 100,000-term chain is not sent to a large stack", () => {
    expect(scanNestingDepth(chain(100_000))).toBeLessThanOrEqual(MAX_NESTING);
  });

  const bin = fileURLToPath(new URL("../bin/bt-parse.js", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "bt-parse-depth-"));
  for (const [construct, shape] of Object.entries(NESTING_SHAPES) as [NestingConstruct, (n: number) => string][]) {
    const limit = BPFTRACE_NESTING[construct];
    it(`bt-parse (a process, deep work on a worker's large stack): ${construct} at ${limit} parse, ${limit + 1} is one error`, () => {
      const at = join(dir, `${construct}-at.bt`);
      const past = join(dir, `${construct}-past.bt`);
      writeFileSync(at, shape(limit));
      writeFileSync(past, shape(limit + 1));
      const ok = spawnSync(process.execPath, [bin, at], { encoding: "utf8" });
      expect({ status: ok.status, stdout: ok.stdout, stderr: ok.stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
      const refused = spawnSync(process.execPath, [bin, past], { encoding: "utf8" });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe("");
      expect(refused.stdout).toMatch(new RegExp(`^${past.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:\\d+: error: nesting is too deep \\(${construct} past `));
    }, 60_000);
  }
});
