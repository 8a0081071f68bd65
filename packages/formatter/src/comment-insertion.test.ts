/**
 * A comment anywhere: one `// c` (and a newline) or one `/* c *\/` put into a gap between two
 * tokens of a program, formatted. Each variant must format without a crash, to a program that
 * parses to the same AST, keeps every comment as it was (none lost, merged or duplicated), is
 * stable on a second run, and keeps the comment next to a neighbour: the token before or after
 * it (a `;` the printer adds does not count), or the line of one of them.
 *
 * Which gaps (CI must stay around a minute on two cores):
 *   - every gap of the fixtures/format inputs, both comment kinds;
 *   - in every corpus program that parses (not bench/, whose files are the corpus concatenated),
 *     a deterministic sample, by the FNV-1a hash of `program key, gap offset, comment kind`: for
 *     each pair of token kinds around a gap (e.g. `RParen|LCurly`) and each comment kind, the
 *     first gap in corpus order with that pair (so every pair that occurs in the corpus is
 *     covered); every gap whose hash falls in one bucket of SAMPLE_BUCKETS; and, in a program
 *     none of whose gaps was picked so, its gap of lowest hash (so every program is covered).
 *   BT_FMT_COMMENT_GAPS=all: every gap of every program, both kinds (about 135,000 variants,
 *   tens of minutes), with the counts printed.
 *
 * Where the grammar has no place for a comment, the variant does not parse or its AST differs
 * without the comment, and it is not counted: inside an attach point (`kprobe:f /* c *\/` is part
 * of the attach point's text), after a preprocessor line (`#include <x> // c`) and inside a C
 * definition (both printed verbatim).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "@bt/parser";
import { checkInsertion, gapsOf, hash, type CommentKind, type Gap, type Outcome } from "./comment-insertion.ts";
import { format } from "./format.ts";
import { astShape } from "./parser.ts";
import { FORMAT_FIXTURES, corpusPrograms, parses } from "./test-helpers.ts";

const ALL = process.env.BT_FMT_COMMENT_GAPS === "all";
const SAMPLE_BUCKETS = 32;
const KINDS: CommentKind[] = ["line", "block"];

interface Job {
  key: string;
  text: string;
  gaps: [Gap, CommentKind][];
}

function everyGap(text: string): [Gap, CommentKind][] {
  return gapsOf(text).flatMap((g) => KINDS.map((k) => [g, k] as [Gap, CommentKind]));
}

/** `seen`: the pairs of token kinds (with the comment kind) already sampled in earlier programs. */
function sampledGaps(key: string, text: string, seen: Set<string>): [Gap, CommentKind][] {
  const out: [Gap, CommentKind][] = [];
  let lowest: { at: [Gap, CommentKind]; hash: number } | undefined;
  for (const gap of gapsOf(text)) {
    for (const kind of KINDS) {
      const h = hash(`${key}\0${gap.offset}\0${kind}`);
      const first = !seen.has(`${gap.pair} ${kind}`);
      seen.add(`${gap.pair} ${kind}`);
      if (first || h % SAMPLE_BUCKETS === 0) out.push([gap, kind]);
      else if (!lowest || h < lowest.hash) lowest = { at: [gap, kind], hash: h };
    }
  }
  if (lowest && out.length === 0) out.push(lowest.at);
  return out;
}

function fixtureJobs(): Job[] {
  if (!existsSync(FORMAT_FIXTURES)) return [];
  return readdirSync(FORMAT_FIXTURES)
    .sort()
    .map((name) => {
      const text = readFileSync(join(FORMAT_FIXTURES, name, "input.bt"), "utf8");
      return { key: `fixtures/format/${name}`, text, gaps: everyGap(text) };
    });
}

function corpusJobs(): Job[] {
  const seen = new Set<string>();
  return corpusPrograms()
    .filter((p) => !p.key.startsWith("bench/") && parses(p.text))
    .map((p) => ({ key: p.key, text: p.text, gaps: ALL ? everyGap(p.text) : sampledGaps(p.key, p.text, seen) }));
}

async function run(jobs: Job[]) {
  const counts: Record<Outcome, number> = { clean: 0, crash: 0, changed: 0, unparsable: 0, comments: 0, "not-idempotent": 0, moved: 0 };
  const pairs = new Set<string>();
  const failures: string[] = [];
  let variants = 0;
  for (const job of jobs) {
    const shape = astShape(parse(job.text).ast);
    for (const [gap, kind] of job.gaps) {
      // let the worker answer vitest's messages (a long synchronous stretch times them out)
      if (variants % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      const verdict = await checkInsertion(job.text, shape, gap, kind);
      if (verdict.outcome === "skipped") continue;
      variants++;
      pairs.add(`${gap.pair} ${kind}`);
      counts[verdict.outcome]++;
      if (verdict.outcome !== "clean") {
        const excerpt = verdict.variant.slice(Math.max(0, gap.offset - 30), gap.offset + 30);
        failures.push(`${job.key}@${gap.offset} ${kind} ${verdict.outcome}: ${JSON.stringify(excerpt)}${verdict.detail ? ` (${verdict.detail.slice(0, 200)})` : ""}`);
      }
    }
  }
  return { counts, variants, pairs: pairs.size, failures };
}

function report(what: string, r: Awaited<ReturnType<typeof run>>): void {
  const kinds = Object.entries(r.counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(`comment insertion, ${what}: ${r.variants} variants (${r.pairs} token-kind pairs × comment kinds): ${kinds}`);
  if (r.failures.length > 0) console.log(r.failures.slice(0, ALL ? 400 : 40).join("\n"));
}

describe("a comment in any gap between two tokens", () => {
  it("fixtures/format inputs, every gap", async () => {
    const r = await run(fixtureJobs());
    report("fixtures/format", r);
    expect(r.variants).toBeGreaterThan(1000);
    expect(r.failures).toEqual([]);
  }, 300_000);

  it(`corpus programs, ${ALL ? "every gap" : "sampled gaps"}`, async () => {
    const r = await run(corpusJobs());
    report(ALL ? "corpus, every gap" : "corpus, sampled", r);
    expect(r.pairs).toBeGreaterThan(300);
    expect(r.failures).toEqual([]);
  }, ALL ? 3_600_000 : 300_000);
});

describe("several comments in one gap keep their order and a neighbour", () => {
  const CASES: [string, string][] = [
    // a line comment before a macro's empty `()`, another inside it: a stays before b
    ["macro m\n// a\n( // b\n) {}\n", "macro m() // a\n// b\n{}\n"],
    ["macro m\n/* a */\n( // b\n) {}\n", "macro m /* a */() // b\n{}\n"],
    // block comments around a `for` header's `:`: the one before it trails the variable, the one after leads the map
    ["begin { for ($k\n/* a */ : /* b */\n@x) { print($k); } }\n", "begin\n{\n  for ($k /* a */ : /* b */ @x) {\n    print($k);\n  }\n}\n"],
    ["begin { for ($k\n/* a */\n: @x) { print($k); } }\n", "begin\n{\n  for ($k /* a */ : @x) {\n    print($k);\n  }\n}\n"],
    ["begin { for ($k :\n/* b */\n@x) { print($k); } }\n", "begin\n{\n  for ($k : /* b */ @x) {\n    print($k);\n  }\n}\n"],
  ];
  it.each(CASES)("%j", async (input, output) => {
    expect(await format(input)).toBe(output);
    expect(await format(output)).toBe(output);
  });
});

describe("a line comment after the last element of a list in a call", () => {
  const CASES: [string, string][] = [
    // the list breaks (as it does without the comment): the comment stays on its element's line,
    // not after the statement's last `)`
    [
      'begin { print((getopt("aa", 20), getopt("bb", -1), getopt("cc", true), getopt("dd"), getopt("ee", "hello" // c\n)));  }\n',
      'begin\n{\n  print(\n    (\n      getopt("aa", 20),\n      getopt("bb", -1),\n      getopt("cc", true),\n      getopt("dd"),\n      getopt("ee", "hello") // c\n    )\n  );\n}\n',
    ],
    // the statement fits on one line: at its end
    ["begin { print((1, f(2 // c\n))); }\n", "begin\n{\n  print((1, f(2))); // c\n}\n"],
    // a comment after the statement on its line: both at its end, each on its own line
    ["begin { print((1, f(2 // c\n))); // d\n}\n", "begin\n{\n  print((1, f(2))); // c\n  // d\n}\n"],
  ];
  it.each(CASES)("%j", async (input, output) => {
    expect(await format(input)).toBe(output);
    expect(await format(output)).toBe(output);
  });
});
