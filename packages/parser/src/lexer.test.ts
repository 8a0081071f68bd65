/**
 * `lex` is a hand-written scanner over the token definitions that Chevrotain's lexer also reads
 * (`chevrotainLex`); the two must give the same tokens, comments and errors on every input.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chevrotainLex, lex, type LexResult } from "./lexer.ts";
import { loadCorpus, SHARED_CORPUS_DIR } from "./test-corpus.ts";

const SEED = process.env.BT_FUZZ_SEED ? Number(process.env.BT_FUZZ_SEED) : undefined;

/** Tokens as plain records: the same fields in the same order, whatever object made them. */
function plain(result: LexResult) {
  const record = (t: LexResult["tokens"][number]) => ({ image: t.image, startOffset: t.startOffset, tokenTypeIdx: t.tokenTypeIdx, type: t.tokenType.name });
  return { tokens: result.tokens.map(record), comments: result.comments.map(record), errors: result.errors };
}

function expectSameAsChevrotain(text: string): void {
  expect(plain(lex(text))).toEqual(plain(chevrotainLex(text)));
}

describe("lex gives what Chevrotain's lexer gives", () => {
  it("on every corpus program", () => {
    const programs = loadCorpus();
    expect(programs.length).toBeGreaterThan(1000);
    for (const p of programs) expectSameAsChevrotain(p.text);
  });

  it("on the benchmark file", () => {
    expectSameAsChevrotain(readFileSync(join(SHARED_CORPUS_DIR, "bench/big.bt"), "utf8"));
  });

  it.each([
    ["a token per kind", 'BEGIN { $x = @m[1, "s\\"q"] <<= 0x1f_u; $#; $12; @; @a->b.0 .. ++ -- -= += *= /= %= &= |= ^= >>= << >> <= >= == != && || ~ ? : ; } // c\n/* b */'],
    ["keywords and words that start like them", "k { if iff else elsex while for unroll break continue return let sizeof offsetof typeof typeinfo typeinfox comptime true false import struct union enum config macro fn fnx _if }"],
    ["top-level keywords, C definitions, shebang", "#!/bin/bpftrace\nconfig = { a = 1 }\nimport \"x\";\nmacro m($a) { $a }\nfn f(): int { 1 }\nlet @m = hash(2);\nstruct S { int a; } __attribute__((packed));\nenum E { A };\nunion U { int a; }\n#include <x.h>\n"],
    ["attach points", 'uprobe:/bin/sh:"f", kprobe:a* , uretprobe:lib.so:cpp:"A::f"+4 /pid == 1/ { } interval:s:1 {} t:a:b,\n}x {}'],
    ["predicates and divisions", "k /1 / 2/ { $a = 4 / 2; } k /a/ // c\n { } k / a /* c */ {}"],
    ["unterminated strings", 'k { "abc\\\n "d\n "x\\'],
    ["unterminated block comment", "k { } /* never closed"],
    ["stray characters", "k { $ 'a' `b` \\ é 漢 \u0001 $; }\n\u00e9 k {} 'x {} \\ y {} ` {}"],
    ["hex and odd numbers", "k { 0x 0xZ 0X_f 1e3 08 1_000ns 0b1 }"],
    ["a lone surrogate and escaped bytes", "k { printf(\"\udc80\"); \udcff }\n\udc80 {}"],
    ["empty", ""],
    ["only layout", " \t\r\n // c"],
  ])("%s", (_name, text) => expectSameAsChevrotain(text));

  // Random text over the characters that steer the lexer, and random cuts of real programs.
  const alphabet = [..."abceflmnorstuxyz_ABE019$@#!\"'`\\/*+-=<>&|^%~?:;,.()[]{}\n\t \r", "é", "\u0001", "\udc80", "struct ", "if", "config", "fn ", "/*", "*/", "//", "#!", "0x", "kprobe:f", "BEGIN"];
  const programs = loadCorpus().map((p) => p.text);

  it("on random text", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }), (parts) => expectSameAsChevrotain(parts.join(""))),
      { numRuns: 3000, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });

  it("on programs cut and spliced at random places", () => {
    fc.assert(
      fc.property(fc.nat(programs.length - 1), fc.nat(), fc.nat(), fc.constantFrom(...alphabet), (p, a, b, insert) => {
        const text = programs[p]!;
        const i = a % (text.length + 1);
        const j = i + (b % 40);
        expectSameAsChevrotain(text.slice(0, i) + insert + text.slice(j));
      }),
      { numRuns: 2000, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });
});
