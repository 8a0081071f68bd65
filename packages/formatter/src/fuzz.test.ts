/**
 * Formatter fuzz: corpus programs with comments of random text put into random gaps between
 * tokens (a line comment always ends its line; a block comment may have line breaks
 * around it). Each must format without a crash, to text that parses to the same AST, keeps the
 * same comments in the same order, and formats to itself again.
 *
 *   BT_FMT_FUZZ_RUNS=N      programs tried (default 150; `npm run fuzz` uses 5000)
 *   BT_FMT_FUZZ_COMMENTS=K  at most K comments per program (default 1, the promise the
 *                           comment-insertion test checks; `npm run fuzz` uses 3, the same
 *                           promise for several comments in one gap)
 *   BT_FUZZ_SEED=S       reproduce a failing run
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "@bt/parser";
import { gapsOf } from "./comment-insertion.ts";
import { format } from "./format.ts";
import { astShape, commentTexts, fatalDiagnostics } from "./parser.ts";
import { corpusPrograms, parses } from "./test-helpers.ts";

const RUNS = Number(process.env.BT_FMT_FUZZ_RUNS ?? 150);
const MAX_COMMENTS = Number(process.env.BT_FMT_FUZZ_COMMENTS ?? 1);
const SEED = process.env.BT_FUZZ_SEED ? Number(process.env.BT_FUZZ_SEED) : undefined;

const programs = corpusPrograms()
  .filter((p) => !p.key.startsWith("bench/") && p.text.length < 6000 && parses(p.text))
  .map((p) => ({ key: p.key, text: p.text, gaps: gapsOf(p.text) }))
  .filter((p) => p.gaps.length > 0);

/** Comment text without what would end it early (`*\/` in a block, a line break in a line comment). */
const commentBody = fc
  .string({ maxLength: 12, unit: fc.constantFrom(..."ab c*/{}();:,?#\"'\\\t") })
  .map((s) => s.replaceAll("*/", "* /"));

const insertion = fc.record({
  gap: fc.nat(),
  kind: fc.constantFrom("line", "block"),
  body: commentBody,
  newlineBefore: fc.boolean(),
  newlineAfter: fc.boolean(),
});

const variantArb = fc
  .tuple(fc.nat({ max: programs.length - 1 }), fc.array(insertion, { minLength: 1, maxLength: MAX_COMMENTS }))
  .map(([index, inserts]) => {
    const program = programs[index];
    // from the end, so that earlier offsets stay valid
    const chosen = inserts
      .map((ins) => ({ ...ins, offset: program.gaps[ins.gap % program.gaps.length].offset }))
      .sort((a, b) => b.offset - a.offset);
    let text = program.text;
    for (const c of chosen) {
      const comment = c.kind === "line" ? `//${c.body}\n` : `/*${c.body}*/${c.newlineAfter ? "\n" : " "}`;
      text = text.slice(0, c.offset) + (c.newlineBefore ? "\n" : " ") + comment + text.slice(c.offset);
    }
    return { key: program.key, original: program.text, text };
  });

async function problemOf(variant: { original: string; text: string }): Promise<string | undefined> {
  const input = parse(variant.text);
  // a comment that joined a preprocessor line or an attach point is part of that text: no variant
  if (fatalDiagnostics(input.diagnostics).length > 0) return undefined;
  if (astShape(input.ast) !== astShape(parse(variant.original).ast)) return undefined;
  let once: string;
  let twice: string;
  try {
    once = await format(variant.text);
    twice = await format(once);
  } catch (err) {
    return `crash: ${(err as Error).message.split("\n")[0]}`;
  }
  const output = parse(once);
  if (fatalDiagnostics(output.diagnostics).length > 0) return `output does not parse:\n${once}`;
  if (astShape(output.ast) !== astShape(input.ast)) return `program changed:\n${once}`;
  if (JSON.stringify(commentTexts(output.ast)) !== JSON.stringify(commentTexts(input.ast))) {
    return `comments changed: ${JSON.stringify(commentTexts(input.ast))} → ${JSON.stringify(commentTexts(output.ast))}\n${once}`;
  }
  if (twice !== once) return `not idempotent:\n${once}\n--- second run ---\n${twice}`;
  return undefined;
}

/** Reduced counterexamples of earlier runs with several comments. */
const FOUND: string[] = [
  // a line comment moved to the end of its statement's line took the block comment after it along
  'begin { f(typeof(struct //\n task_struct /**/ )); }',
  // a line comment moved to lead the next node took the block comment after it along
  'kprobe:f { $a = (string //\n[ /**/ 10])"hello"; }',
  // a block comment on a line of its own inside an expression, a blank line after it
  'u:a:b {\n\tprintf("%15s", comm,\n/**/\n\n\t    usym //\n(arg2));\n}',
  // blank line after a comment that follows a header on its line: gone on a second run
  "i:ms:1 { unroll (10)\n//\n\n//\n { $a = 1; } }",
  // a block comment after a header's line comment leads the body, and the comments after it follow
  "kprobe:f { if (pid > 1) { } else if (pid < 10 //\n /**/ ) { $s = 2; } }",
  "kprobe:f { if (pid > 1) { } else if (pid < 10 //\n) /**/\n { $s = 2; } }",
  "kprobe:f { unroll (10 //\n /**/ //x\n ) { $s = 2; } }",
  // a line comment on a line of its own in a `for` header: at its end, as one at the end of a line
  "begin { for ($i\n//\n : 1..10) { print($i) } }",
  "begin { for ($i\n//\n : /**/ 1..10 //x\n) { print($i) } }",
  // a blank line between comments moved to the end of a line: gone on a second run
  "kprobe:a\n /100/25 //\n\n//\n/ { 1; }",
  // line comments before a ternary's `?` (or `:`): the second was glued onto the first
  "kprobe:f { count //\n //\n() ? 0 : 1; }",
  "kprobe:f { count //\n( /**/ ) ? 0 : 1; }",
  "kprobe:f { $x = a ? count //\n( /**/ ) //c\n : 1; }",
  // a definition's line comment moved to lead the next part took the block comment after it along
  "fn f //\n( /**/ ): enum x {}",
  "macro m(a //\n /**/ , b) { a }",
  // comments before an attach point's comma: printed after it, in their order
  "t:a:b,\nt:a:c\n//\n, //a\n\nt:a:d\n{ 1; }",
  "t:a:b,\nt:a:c\n//\n, /*a*/\n\nt:a:d\n{ 1; }",
  "t:a:c\n/*x*/\n, //a\nt:a:d\n{ 1; }",
  // block comments on a line of their own, after a line comment moved to the end of a line
  'k:f { printf("%s", str(arg1 //\n /**/  /**/ ) ); exit(); }',
  // comments before a `for` header's `)`: at the end of the header's line, before the one after `)`
  "begin { for ($i : @map\n//a\n) //\n { print($i.0); } }",
  "begin { for ($i : @map\n/*a*/\n) //\n { print($i.0); } }",
  // a line comment in a definition's parameter leads the next part, as one between parameters;
  // at the end of the parameter it was printed on the line of the next one's comment, merged
  "fn foo($x : int64, $y : typeof($x //\n) //\n) : int8 { return 0; }",
  // a block comment leading a header's body after a line comment stays on the `{` line
  "kprobe:f { if(true)\n//\n /**/\n { 123 } }",
  // a line comment before a macro's `)`, another after it
  "macro m(t\n//a\n) //\n { sizeof(t) + 2 }",
  "macro m(t\n/**/ ) //\n { sizeof(t) + 2 }",
  // a line comment on a line of its own before a macro's empty `()`, another inside it
  "macro m\n// a\n( // b\n) {}",
  "macro m\n/* a */\n( // b\n) {}",
  // block comments on either side of a `for` header's `:`, with line breaks around them
  "begin { for ($k\n/* a */ : /* b */\n@x) { print($k); } }",
  "begin { for ($k /* a */\n: //b\n@x) { print($k); } }",
];

describe("fuzz: counterexamples found", () => {
  it.each(FOUND)("%j", async (text) => {
    expect(await problemOf({ original: text, text })).toBeUndefined();
  });
});

describe("fuzz: comments in random places", () => {
  it("format keeps the program and its comments, and is stable", async () => {
    expect(programs.length).toBeGreaterThan(1000);
    await fc.assert(
      fc.asyncProperty(variantArb, async (variant) => {
        const problem = await problemOf(variant);
        if (problem) throw new Error(`${variant.key}: ${problem}\ninput:\n${variant.text}`);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  }, Math.max(120_000, RUNS * 100));
});
