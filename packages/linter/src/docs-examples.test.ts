/**
 * Every code example on a rule's docs page is linted: a block introduced by a line starting with ❌ must
 * produce a finding of that rule, a block introduced by ✅ must not. The marker line may name the release
 * the example is about as `--target X` (default: the latest release). The file system is not read, so
 * examples cannot depend on what happens to be installed here; the machine checks see a machine described as data
 * (`rules/machine-fixture.ts`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintText } from "./lint.ts";
import { rules } from "./rules/index.ts";
import { fixtureMachine } from "./rules/machine-fixture.ts";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/rules");

interface DocExample {
  kind: "bad" | "good";
  target?: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  positionalParameters?: string[];
}

/** Code blocks of a docs page with the ❌/✅ marker of the nearest non-blank line above them. */
function docExamples(md: string): { examples: DocExample[]; unmarked: number[] } {
  const lines = md.split("\n");
  const examples: DocExample[] = [];
  const unmarked: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```/.test(lines[i])) continue;
    const open = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
    let j = open - 1;
    while (j >= 0 && lines[j].trim() === "") j--;
    const marker = j >= 0 ? lines[j].trim() : "";
    const kind = marker.startsWith("❌") ? "bad" : marker.startsWith("✅") ? "good" : undefined;
    if (!kind) {
      unmarked.push(open + 1);
      continue;
    }
    const target = /--target (\d+\.\d+)/.exec(marker)?.[1];
    // "… run with the parameters `1 hello`": the run's positional parameters
    const params = /the parameters `([^`]*)`/.exec(marker)?.[1];
    examples.push({ kind, target, code: body.join("\n") + "\n", line: open + 1, ...(params !== undefined ? { positionalParameters: params.split(" ") } : {}) });
  }
  return { examples, unmarked };
}

describe("docs/rules examples agree with the rules", () => {
  for (const file of readdirSync(docsDir).filter((f) => f.endsWith(".md")).sort()) {
    const id = file.slice(0, -3);
    const { examples, unmarked } = docExamples(readFileSync(join(docsDir, file), "utf8"));
    describe(id, () => {
      it("has ❌ and ✅ examples, and every code block is marked", () => {
        expect(id in rules).toBe(true);
        expect(unmarked, `code blocks without a ❌/✅ line above them at lines ${unmarked.join(", ")}`).toEqual([]);
        expect(examples.some((e) => e.kind === "bad")).toBe(true);
        expect(examples.some((e) => e.kind === "good")).toBe(true);
      });
      for (const ex of examples) {
        it(`${ex.kind === "bad" ? "❌" : "✅"} example at line ${ex.line}${ex.target ? ` (--target ${ex.target})` : ""}`, () => {
          const { findings } = lintText(ex.code, { target: ex.target, readFileSystem: false, machine: fixtureMachine, positionalParameters: ex.positionalParameters });
          const own = findings.filter((f) => f.ruleId === id).map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`);
          if (ex.kind === "bad") expect(own.length, `expected a ${id} finding in:\n${ex.code}`).toBeGreaterThan(0);
          else expect(own, `expected no ${id} finding in:\n${ex.code}`).toEqual([]);
        });
      }
    });
  }
});
