/** Large programs are formatted a piece of top-level items at a time (format.ts): the result must be the whole-file result. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import prettier from "prettier/standalone";
import { describe, expect, it } from "vitest";
import plugin from "./index.ts";
import { format, formatInPiecesForTest } from "./format.ts";
import { BpftraceSyntaxError } from "./parser.ts";
import { SHARED_CORPUS, corpusPrograms } from "./test-helpers.ts";
import { topLevelCuts } from "./text.ts";

/** The whole text formatted in one call, never in pieces. */
const formatWhole = (text: string) => prettier.format(text, { parser: "bpftrace", plugins: [plugin], printWidth: 90, tabWidth: 2, useTabs: false });

describe("formatting in pieces", () => {
  it("every corpus program with more than one item: each item formatted alone and joined gives the whole-file text", async () => {
    let compared = 0;
    for (const { key, text } of corpusPrograms()) {
      if (topLevelCuts(text, 0).length === 0) continue; // one piece: nothing to compare
      let whole: string;
      try {
        whole = await formatWhole(text);
      } catch {
        continue; // refused (syntax error): nothing to compare
      }
      const pieces = await formatInPiecesForTest(text, 0);
      if (pieces === undefined) continue;
      compared++;
      expect({ key, pieces }).toEqual({ key, pieces: whole });
    }
    expect(compared).toBeGreaterThan(100);
  }, 300_000);

  it("big.bt (every corpus program bpftrace accepts, 317 KiB) in 64 KiB and 4 KiB pieces", async () => {
    const text = readFileSync(join(SHARED_CORPUS, "bench/big.bt"), "utf8");
    const whole = await formatWhole(text);
    expect(await format(text)).toBe(whole);
    expect(await formatInPiecesForTest(text, 4096)).toBe(whole);
  }, 120_000);

  it("a syntax error in a later piece is reported where it is, as for the whole file", async () => {
    const probe = (i: number) => `kprobe:f${i} { @[comm] = count(); printf("{ %d }\\n", ${i}); }\n`;
    const text = Array.from({ length: 4000 }, (_, i) => probe(i)).join("") + "BEGIN { $x = ; }\n";
    const error = await format(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BpftraceSyntaxError);
    expect((error as BpftraceSyntaxError).loc.start).toEqual({ line: 4001, column: 14 });
  });
});

describe("the order of sections across pieces", () => {
  const probe = (i: number) => `kprobe:f${i} { @[comm] = count(); printf("{ %d }\\n", ${i}); }\n`;
  const probes = (from: number, n: number) => Array.from({ length: n }, (_, i) => probe(from + i)).join("");

  it("a C definition, config or import in a later piece after probes is refused at its place, as for the whole file", async () => {
    expect(await formatInPiecesForTest("BEGIN { }\nstruct A { int x; }\n", 0)).toBeUndefined();
    expect(await formatInPiecesForTest("config = { max_map_keys = 1 }\nBEGIN { }\nconfig = { max_map_keys = 2 }\n", 0)).toBeUndefined();
    // the struct starts a piece: the probes before it fill exactly one piece of 64 KiB
    let count = 0;
    while (probes(0, count).length < 64 * 1024) count++;
    const head = probes(0, count);
    const text = head + "struct A { int x; }\n" + probes(count, count);
    expect(topLevelCuts(text, 64 * 1024)[0]).toBe(head.length);
    const error = await format(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BpftraceSyntaxError);
    expect((error as BpftraceSyntaxError).loc.start).toEqual({ line: count + 1, column: 1 });
    expect((error as BpftraceSyntaxError).reason).toBe("C definitions must appear before probes and functions");
  });

  it("C definitions and config spread over several pieces before the probes format as the whole file", async () => {
    const text = "struct A { int x; }\nstruct B { int y; }\nconfig = { max_map_keys = 1 }\nBEGIN { }\nEND { }\n";
    expect(await formatInPiecesForTest(text, 0)).toBe(await formatWhole(text));
    expect(await formatInPiecesForTest(text.replaceAll("\n", "\r\n"), 0)).toBe(await formatWhole(text));
  });
});

describe("topLevelCuts", () => {
  it("cuts after a top-level `}` and what shares its line, not inside strings, comments or preprocessor lines", () => {
    const text = [
      '#define OPEN {',
      'BEGIN { printf("}\\n"); } // done }',
      '/* } */',
      'END { /* { */ print(1); }; ',
      '',
      'kprobe:f { print(2); }',
      '',
    ].join("\n");
    const cuts = topLevelCuts(text, 0);
    expect(cuts.map((c) => text.slice(c).split("\n")[0])).toEqual(["/* } */", ""]);
  });

  it("keeps the last item with the piece before it when only comments follow it", () => {
    const text = "BEGIN { }\nEND { }\n// the end\n";
    expect(topLevelCuts(text, 0).map((c) => text.slice(c))).toEqual(["END { }\n// the end\n"]);
  });
});
