import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ParseResult } from "@bt/parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reparse } from "./incremental.ts";

/**
 * The incremental tree must be exactly the full parse's tree (items and comments, every
 * position), for edits anywhere: inside an item, between items, across items, at either end.
 */

const TOOLS = "/work/shared/corpus/tools-HEAD";
const corpus = (() => {
  try {
    return readdirSync(TOOLS)
      .filter((f) => f.endsWith(".bt"))
      .sort()
      .slice(0, 40)
      .map((f) => readFileSync(join(TOOLS, f), "utf8"));
  } catch {
    return [];
  }
})();
const SAMPLE = [
  "#!/usr/bin/env bpftrace",
  "// counts opens",
  "config = { max_map_keys = 100 }",
  "macro twice($x) { $x * 2 }",
  "kprobe:do_sys_open { @opens[comm] = count(); }",
  "",
  "tracepoint:syscalls:sys_enter_read /pid > 1/",
  "{",
  "  @bytes = hist(args.count); /* size */",
  "  $t = twice(1);",
  "}",
  "END { print(@opens); clear(@opens); }",
  "",
].join("\n");

function treeOf(result: ParseResult) {
  return { body: result.ast.body, comments: result.ast.comments, shebang: result.ast.shebang, range: result.ast.range };
}

/** Applies the edit incrementally over a fresh parse of `before`; undefined when it fell back. */
function incremental(before: string, after: string) {
  const previous = parse(before, { target: "0.27" });
  return reparse(previous, before, after, "0.27");
}

const SNIPPETS = [" ", "\n", "x", "1", ";", "$y = 2;", "// note\n", "@m[1] = 1; ", "}", "{", "kprobe:f { }\n", "\t", "/* c */"];

describe("incremental reparse", () => {
  it("equals the full parse for random insertions and deletions in a sample with every kind of item", () => {
    let taken = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: SAMPLE.length }),
        fc.nat({ max: 12 }),
        fc.constantFrom(...SNIPPETS),
        (at, removed, inserted) => {
          const after = SAMPLE.slice(0, at) + inserted + SAMPLE.slice(Math.min(SAMPLE.length, at + removed));
          const result = incremental(SAMPLE, after);
          if (!result) return; // fell back to a full parse: always right
          taken++;
          expect(treeOf(result)).toEqual(treeOf(parse(after, { target: "0.27" })));
        },
      ),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it.skipIf(corpus.length === 0)("equals the full parse for edits of corpus tools, and is taken for edits inside one item", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(" ", "\n", "x", "// c\n", "$q = 1; "), (index, where, inserted) => {
        const before = corpus[index];
        const at = Math.floor(where * before.length);
        const after = before.slice(0, at) + inserted + before.slice(at);
        const result = incremental(before, after);
        if (!result) return;
        taken++;
        expect(treeOf(result)).toEqual(treeOf(parse(after, { target: "0.27" })));
      }),
      { numRuns: 300 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it("equals the full parse when the edit repairs or breaks the text (typing through a broken state)", () => {
    let repairs = 0;
    fc.assert(
      fc.property(fc.nat({ max: SAMPLE.length }), fc.constantFrom("(", "{", "}", "@", "+", "print(", "if (", '"', "/*"), fc.nat({ max: 3 }), (at, broken, extra) => {
        // A broken version, then typing more at the same place, then the repair.
        const brokenText = SAMPLE.slice(0, at) + broken + SAMPLE.slice(at);
        const typed = SAMPLE.slice(0, at) + broken + "x".repeat(extra) + SAMPLE.slice(at);
        const versions = [SAMPLE, brokenText, typed, SAMPLE];
        let previous = parse(versions[0], { target: "0.27" });
        for (let i = 1; i < versions.length; i++) {
          const result = reparse(previous, versions[i - 1], versions[i], "0.27");
          const full = parse(versions[i], { target: "0.27" });
          if (result) {
            if (previous.diagnostics.length > 0) repairs++;
            expect(treeOf(result)).toEqual(treeOf(full));
          }
          previous = result ?? full;
        }
      }),
      { numRuns: 500 },
    );
    // Edits of a broken version were taken incrementally, not only clean ones.
    expect(repairs).toBeGreaterThan(30);
  });

  it.skipIf(corpus.length === 0)("equals the full parse while corpus tools are broken, typed in and repaired", () => {
    let taken = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom("(", "{", "}", "@", "print(", '"', "/*", "kprobe:", ")", "]", "\n}", "{\n"),
        (index, where, broken) => {
          const text = corpus[index];
          const at = Math.floor(where * text.length);
          const versions = [text, text.slice(0, at) + broken + text.slice(at), text.slice(0, at) + broken + "x" + text.slice(at), text];
          let previous = parse(text, { target: "0.27" });
          for (let i = 1; i < versions.length; i++) {
            const result = reparse(previous, versions[i - 1], versions[i], "0.27");
            const full = parse(versions[i], { target: "0.27" });
            if (result) {
              taken++;
              expect(treeOf(result)).toEqual(treeOf(full));
            }
            previous = result ?? full;
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(taken).toBeGreaterThan(80);
  });

  it("moves the columns of items that start on the line the edit ends on", () => {
    const before = "BEGIN { @a = 1; } END { @b = 2; } kprobe:f { @c = 3; }\ninterval:s:1 { exit(); }\n";
    for (const after of [before.replace("@a = 1", "@abc = 12345"), before.replace("@a = 1", "@a = 1;\n  @z = 2"), before.replace("BEGIN { @a = 1; } ", "")]) {
      const result = incremental(before, after);
      expect(result, after).toBeDefined();
      expect(treeOf(result!)).toEqual(treeOf(parse(after, { target: "0.27" })));
    }
  });

  it("falls back when the edit breaks the grammar, and keeps the previous result for the same text", () => {
    const previous = parse(SAMPLE, { target: "0.27" });
    expect(reparse(previous, SAMPLE, SAMPLE.replace("count();", "count(;"), "0.27")).toBeUndefined();
    expect(reparse(previous, SAMPLE, SAMPLE, "0.27")).toBe(previous);
    expect(reparse(previous, SAMPLE, SAMPLE + "\u0000", "0.27")).toBeUndefined();
  });
});
