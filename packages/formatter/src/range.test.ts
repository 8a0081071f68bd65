import { describe, expect, it } from "vitest";
import { BpftraceSyntaxError, format, formatRange } from "./index.ts";
import { corpusPrograms, parses } from "./test-helpers.ts";

const TEXT = [
  "// header   ",
  'kprobe:a{ @x[pid]=count();   if(pid>1){printf("a\\n");}',
  "    $y  =  2;   // keep",
  "}",
  "",
  "BEGIN   {  print( 1 ); print(2);",
  "  print(  3 )  ;",
  "}",
  "END{@a=1;}   interval:s:1 { exit(); }",
  "",
].join("\n");

/** The range covering the first `length` characters of `needle` in TEXT. */
function at(needle: string, length = 1) {
  const start = TEXT.indexOf(needle);
  if (start === -1) throw new Error(`no ${needle}`);
  return { start, end: start + length };
}

describe("formatRange", () => {
  it("reformats only a statement that has its own line", async () => {
    expect(await formatRange(TEXT, at("$y"))).toBe(TEXT.replace("    $y  =  2;   // keep", "  $y = 2; // keep"));
    expect(await formatRange(TEXT, at("print(  3"))).toBe(TEXT.replace("  print(  3 )  ;", "  print(3);"));
  });

  it("widens to the enclosing probe when the statement shares its line with code outside the range", async () => {
    expect(await formatRange(TEXT, at("printf", 3))).toBe(
      [
        "// header   ",
        "kprobe:a",
        "{",
        "  @x[pid] = count();",
        "  if (pid > 1) {",
        '    printf("a\\n");',
        "  }",
        "  $y = 2; // keep",
        "}",
        "",
        "BEGIN   {  print( 1 ); print(2);",
        "  print(  3 )  ;",
        "}",
        "END{@a=1;}   interval:s:1 { exit(); }",
        "",
      ].join("\n"),
    );
  });

  it("takes neighbouring items that share a line (END and interval)", async () => {
    expect(await formatRange(TEXT, at("@a=1"))).toBe(
      TEXT.replace(
        "END{@a=1;}   interval:s:1 { exit(); }",
        ["END", "{", "  @a = 1;", "}", "interval:s:1", "{", "  exit();", "}"].join("\n"),
      ),
    );
  });

  it("formats every item a range spans, and nothing after it", async () => {
    const { start } = at("$y");
    const end = TEXT.indexOf("print(2");
    const out = await formatRange(TEXT, { start, end });
    expect(out).toBe(
      [
        "// header   ",
        "kprobe:a",
        "{",
        "  @x[pid] = count();",
        "  if (pid > 1) {",
        '    printf("a\\n");',
        "  }",
        "  $y = 2; // keep",
        "}",
        "",
        "BEGIN",
        "{",
        "  print(1);",
        "  print(2);",
        "  print(3);",
        "}",
        "END{@a=1;}   interval:s:1 { exit(); }",
        "",
      ].join("\n"),
    );
  });

  it("changes nothing for a range over blank lines or comments between items", async () => {
    const blank = TEXT.indexOf("\n\nBEGIN") + 1;
    expect(await formatRange(TEXT, { start: blank, end: blank })).toBe(TEXT);
    expect(await formatRange(TEXT, { start: 0, end: 5 })).toBe(TEXT);
  });

  it("a range over the whole file formats every item (a comment outside them stays as written)", async () => {
    const whole = await format(TEXT);
    expect(whole.startsWith("// header\n")).toBe(true);
    expect(await formatRange(TEXT, { start: 0, end: TEXT.length })).toBe(TEXT.slice(0, 13) + whole.slice(10));
  });

  it("refuses text with a syntax error", async () => {
    await expect(formatRange('begin { printf("x" }\n', { start: 0, end: 3 })).rejects.toBeInstanceOf(BpftraceSyntaxError);
  });

  it("keeps the AST and stays within the file on corpus programs (a range in the middle of each)", async () => {
    const programs = corpusPrograms().filter((p) => p.key.endsWith(".bt") && parses(p.text)).filter((p, i) => i % 10 === 0 && p.text.length < 20_000);
    let partial = 0;
    for (const p of programs) {
      const mid = Math.floor(p.text.length / 2);
      const out = await formatRange(p.text, { start: mid, end: mid + 1 });
      const whole = await format(p.text);
      // formatting the range result as a whole gives the whole format: only layout changed
      expect(await format(out), p.key).toBe(whole);
      if (out !== p.text && out !== whole) partial++;
    }
    // some files were changed only in part (the others were already formatted or only one item)
    expect(partial).toBeGreaterThan(0);
  }, 120_000);
});
