import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as prettier from "prettier";
import { parse } from "@bt/parser";
import plugin, { BpftraceSyntaxError, format } from "./index.ts";
import { FORMAT_FIXTURES, astShape, commentTexts, corpusPrograms, parses } from "./test-helpers.ts";

describe("fixtures/format: input → output, output stable", () => {
  const cases = existsSync(FORMAT_FIXTURES) ? readdirSync(FORMAT_FIXTURES).sort() : [];
  it("has fixture cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const name of cases) {
    it(name, async () => {
      const input = readFileSync(join(FORMAT_FIXTURES, name, "input.bt"), "utf8");
      const output = readFileSync(join(FORMAT_FIXTURES, name, "output.bt"), "utf8");
      expect(await format(input)).toBe(output);
      expect(await format(output)).toBe(output);
      expect(astShape(parse(output).ast)).toBe(astShape(parse(input).ast));
      expect(commentTexts(parse(output).ast)).toEqual(commentTexts(parse(input).ast));
    });
  }
});

describe("corpus invariants", () => {
  it(
    "idempotent, same AST, same comments on every corpus program that parses",
    async () => {
      const programs = corpusPrograms();
      expect(programs.length).toBeGreaterThan(1000);
      let parsing = 0;
      let idempotent = 0;
      let astKept = 0;
      let commentsKept = 0;
      const failures: string[] = [];
      for (const p of programs) {
        if (!parses(p.text)) continue;
        parsing++;
        let once: string;
        let twice: string;
        try {
          once = await format(p.text);
          twice = await format(once);
        } catch (err) {
          failures.push(`${p.key}: ${(err as Error).message.split("\n")[0]}`);
          continue;
        }
        if (once === twice) idempotent++;
        else failures.push(`${p.key}: not idempotent`);
        const before = parse(p.text).ast;
        const after = parse(once).ast;
        if (astShape(before) === astShape(after)) astKept++;
        else failures.push(`${p.key}: AST changed`);
        if (JSON.stringify(commentTexts(before)) === JSON.stringify(commentTexts(after))) commentsKept++;
        else failures.push(`${p.key}: comments changed`);
      }
      console.log(
        `formatter corpus: ${programs.length} programs, ${parsing} parse; idempotent ${idempotent}/${parsing}, ` +
          `AST kept ${astKept}/${parsing}, comments kept ${commentsKept}/${parsing}`,
      );
      expect(failures).toEqual([]);
    },
    600_000,
  );
});

describe("behaviour", () => {
  it("refuses a program with a syntax error, with its location", async () => {
    const err = await format("begin { printf(\"x\" }\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BpftraceSyntaxError);
    expect((err as BpftraceSyntaxError).loc.start.line).toBe(1);
    expect((err as BpftraceSyntaxError).loc.start.column).toBeGreaterThan(1);
  });

  it("honours printWidth, tabWidth and useTabs", async () => {
    const text = 'begin { if (1) { printf("%d %d %d\\n", 111111, 222222, 333333); } }\n';
    expect(await format(text, { tabWidth: 4 })).toContain('\n        printf("%d');
    expect(await format(text, { useTabs: true })).toContain('\n\t\tprintf("%d');
    const narrow = await format(text, { printWidth: 40 });
    expect(narrow.split("\n").some((l) => l.trim().startsWith("111111, 222222, 333333"))).toBe(true);
  });

  it("keeps trailing comments trailing and block comments as blocks", async () => {
    const out = await format("begin { $a = 1; /* b */\n $c = 2; // t\n}\n");
    expect(out).toContain("$a = 1; /* b */\n");
    expect(out).toContain("$c = 2; // t\n");
  });

  it("keeps at most one blank line and the literal spellings", async () => {
    const out = await format("begin {\n  $a = 0x10;\n\n\n\n  $b = 1_000;\n}\n");
    expect(out).toBe("begin\n{\n  $a = 0x10;\n\n  $b = 1_000;\n}\n");
  });

  it("keeps a blank line inside a block used as a value, stably", async () => {
    const cases: [string, string][] = [
      [
        "BEGIN { $a = { $x = 1;\n\n  $y = 2; $x + $y }; }\n",
        "BEGIN\n{\n  $a = {\n    $x = 1;\n\n    $y = 2;\n    $x + $y\n  };\n}\n",
      ],
      ["BEGIN { $a = { $x = 1;\n\n  $y = 2; }; }\n", "BEGIN\n{\n  $a = {\n    $x = 1;\n\n    $y = 2;\n  };\n}\n"],
      // a blank line after the last statement is not kept, so the block stays on one line
      ["BEGIN { $a = { $x = 1;\n\n }; }\n", "BEGIN\n{\n  $a = { $x = 1; };\n}\n"],
      // without a blank line it stays on one line
      ["BEGIN { $a = { $x = 1;\n  $y = 2; $x + $y }; }\n", "BEGIN\n{\n  $a = { $x = 1; $y = 2; $x + $y };\n}\n"],
    ];
    for (const [input, output] of cases) {
      expect(await format(input)).toBe(output);
      expect(await format(output)).toBe(output);
    }
  });

  it("formats an empty file and a comment-only file", async () => {
    expect(await format("")).toBe("");
    expect(await format("// only\n\n\n/* c */\n")).toBe("// only\n\n/* c */\n");
    expect(await format("#!/usr/bin/env bpftrace\n")).toBe("#!/usr/bin/env bpftrace\n");
  });

  it("works through Prettier's own API with the plugin object", async () => {
    const out = await prettier.format("begin{exit()}", { parser: "bpftrace", plugins: [plugin] });
    expect(out).toBe("begin\n{\n  exit()\n}\n");
    const inferred = await prettier.format("begin{exit();}", { filepath: "x.bt", plugins: [plugin] });
    expect(inferred).toBe("begin\n{\n  exit();\n}\n");
  });
});
