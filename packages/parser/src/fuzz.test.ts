/**
 * Robustness: parse() must return `{ ast, diagnostics }` for any input without
 * throwing, and every range it reports must lie within the text with
 * consistent offset/line/column.
 *
 *   BT_FUZZ_RUNS=N   inputs in all, shared by the five properties (default 3000;
 *                    `npm run fuzz` uses 100000)
 *   BT_FUZZ_SEED=S   reproduce a failing run
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, RELEASES, visitorKeys, type Node, type Range, type Release } from "./index.ts";
import { loadCorpus } from "./test-corpus.ts";

const PROPERTIES = 5;
const RUNS = Math.ceil(Number(process.env.BT_FUZZ_RUNS ?? 3000) / PROPERTIES);
const SEED = process.env.BT_FUZZ_SEED ? Number(process.env.BT_FUZZ_SEED) : undefined;
const params = (runs = RUNS): fc.Parameters<unknown> => ({ numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) });
// Large properties scale the per-test timeout with the number of runs.
const timeout = (perRunMs: number, runs = RUNS) => Math.max(120_000, runs * perRunMs);

/** Line starts (offsets) of the text, for checking positions; lines split at \n like bpftrace. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function checkPosition(text: string, starts: number[], p: Range["start"], what: string): string | undefined {
  if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset > text.length) return `${what}: offset ${p.offset} outside 0..${text.length}`;
  if (!Number.isInteger(p.line) || p.line < 1 || p.line > starts.length) return `${what}: line ${p.line} outside 1..${starts.length}`;
  if (!Number.isInteger(p.column) || p.column < 1) return `${what}: column ${p.column} < 1`;
  // The offset must be where line/column says (columns counted in UTF-16 units from the line start).
  const expectOffset = starts[p.line - 1]! + p.column - 1;
  if (expectOffset !== p.offset) return `${what}: line ${p.line} column ${p.column} is offset ${expectOffset}, not ${p.offset}`;
  return undefined;
}

function checkRange(text: string, starts: number[], r: Range, what: string): string | undefined {
  if (!r || !r.start || !r.end) return `${what}: missing range`;
  return (
    checkPosition(text, starts, r.start, `${what} start`) ??
    checkPosition(text, starts, r.end, `${what} end`) ??
    (r.end.offset < r.start.offset ? `${what}: end ${r.end.offset} before start ${r.start.offset}` : undefined)
  );
}

/** Parses and validates the result; returns a problem description or undefined. */
function parseProblem(text: string, target?: Release): string | undefined {
  let result: ReturnType<typeof parse>;
  try {
    result = parse(text, target ? { target } : {});
  } catch (e) {
    return `parse threw: ${e instanceof Error ? (e.stack ?? e.message).split("\n").slice(0, 4).join(" | ") : String(e)}`;
  }
  if (!result || typeof result !== "object") return "no result";
  if (!result.ast || result.ast.type !== "Program") return "ast is not a Program";
  if (!Array.isArray(result.diagnostics)) return "diagnostics is not an array";
  const starts = lineStarts(text);
  for (const d of result.diagnostics) {
    if (!["error", "warning", "info"].includes(d.severity)) return `bad severity ${d.severity}`;
    if (typeof d.message !== "string" || !d.message) return "diagnostic without message";
    // parse() turns its own exceptions into this diagnostic: for the fuzzer that is a crash.
    if (d.message.startsWith("internal parser error")) return `parse crashed: ${d.message}`;
    const p = checkRange(text, starts, d.range, `diagnostic "${d.message.slice(0, 60)}"`);
    if (p) return p;
  }
  // Every AST node's range (iteratively: deep inputs must not overflow our own stack).
  const stack: Node[] = [result.ast, ...result.ast.comments];
  let count = 0;
  while (stack.length) {
    const n = stack.pop()!;
    count++;
    const p = checkRange(text, starts, n.range, `${n.type} node`);
    if (p) return p;
    for (const key of visitorKeys[n.type] ?? []) {
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === "object" && "type" in c) stack.push(c as Node);
      } else if (v && typeof v === "object" && "type" in v) {
        stack.push(v as Node);
      }
    }
  }
  return count > 0 ? undefined : "no nodes";
}

const expectParses = (text: string, target?: Release) => {
  const problem = parseProblem(text, target);
  if (problem) throw new Error(`${problem}\ninput (${text.length} chars): ${JSON.stringify(text.slice(0, 300))}`);
};

// ---------------------------------------------------------------------------
// Generators

const targetArb = fc.constantFrom(...RELEASES);

/** Characters that matter to bpftrace's lexer, plus a few hostile ones. */
const bpfChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."{}()[];:,./*+-!~&|^<>=?@$#\"'\\ \n\t_0123456789abcxyzBEGIN") },
  { weight: 1, arbitrary: fc.constantFrom("\0", "\r", "\u00a0", "\u2028", "\ufeff", "é", "😀", "\ud800", "\udc00", "\x7f", "`") },
);
const bpfishString = fc.array(bpfChar, { maxLength: 200 }).map((cs) => cs.join(""));

const WORDS = [
  "BEGIN", "END", "begin", "end", "kprobe:f", "kretprobe:vfs_read", "uprobe:/bin/sh:main", "tracepoint:syscalls:sys_enter_open",
  "profile:hz:99", "interval:s:1", "usdt:/bin/x:p:n", "i:ms:100", "t*point:a:b", "fentry:mod:fn", "iter:task",
  "{", "}", "(", ")", "[", "]", ";", ",", ":", "/", "?", "=", "==", "+=", "++", "--", "->", ".", "..", "*", "&", "!", "~",
  "$x", "$1", "$#", "@", "@m", "@m[1]", "@a[$x, 2]", "if", "else", "while", "for", "unroll", "let", "return", "break",
  "continue", "config", "import", "macro", "fn", "struct", "union", "enum", "sizeof", "offsetof", "typeof", "typeinfo",
  "comptime", "true", "false", "printf", "print", "count()", "hist(arg0)", "\"str\"", "\"a\\\"b\"", "0x1f", "1_000", "5ms",
  "1e3", "18446744073709551616", "args", "args->fd", "arg0", "retval", "comm", "pid", "(int8)", "(struct task *)",
  "#include <linux/sched.h>", "// c", "/* c */", "/*", "\n", " ", "#!/usr/bin/env bpftrace", "_", "int32[4]", "@x = hash(10);",
];
const tokenSoup = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((ws) => ws.join(" "));
const tokenSoupTight = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((ws) => ws.join(""));

// Corpus programs and a crude regex tokenizer for grammar-aware mutations.
const corpusTexts = loadCorpus()
  .map((p) => p.text)
  .filter((t) => t.length < 4000);
const TOKEN_RE = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|[A-Za-z_$@][A-Za-z0-9_:*./+-]*|\d[\w.]*|->|\+\+|--|&&|\|\||[=!<>]=|<<|>>|[^]/g;
const tokenize = (t: string) => t.match(TOKEN_RE) ?? [];

type Mutation = { kind: "delete" | "duplicate" | "swap" | "insert" | "truncate"; at: number; other: number; word: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "duplicate", "swap", "insert", "truncate"),
  at: fc.nat(),
  other: fc.nat(),
  word: fc.constantFrom(...WORDS),
});

function mutate(text: string, muts: Mutation[]): string {
  const toks = tokenize(text);
  for (const m of muts) {
    if (toks.length === 0) break;
    const i = m.at % toks.length;
    const j = m.other % toks.length;
    switch (m.kind) {
      case "delete":
        toks.splice(i, 1);
        break;
      case "duplicate":
        toks.splice(i, 0, toks[i]!);
        break;
      case "swap":
        [toks[i], toks[j]] = [toks[j]!, toks[i]!];
        break;
      case "insert":
        toks.splice(i, 0, m.word);
        break;
      case "truncate":
        toks.length = i;
        break;
    }
  }
  return toks.join("");
}

const corpusMutant = fc
  .tuple(fc.nat({ max: corpusTexts.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
  .map(([i, muts]) => mutate(corpusTexts[i]!, muts));

// ---------------------------------------------------------------------------

describe("fuzz: parse never throws and reports ranges inside the text", () => {
  it("parses the whole corpus cleanly (sanity for the range checker)", () => {
    for (const t of corpusTexts.slice(0, 300)) expectParses(t);
  });

  it("random unicode strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), targetArb, (s, t) => expectParses(s, t)), params());
  }, timeout(20));

  it("random bpftrace-ish character soup", () => {
    fc.assert(fc.property(bpfishString, targetArb, (s, t) => expectParses(s, t)), params());
  }, timeout(20));

  it("random token soup (spaced and glued)", () => {
    fc.assert(fc.property(fc.oneof(tokenSoup, tokenSoupTight), targetArb, (s, t) => expectParses(s, t)), params());
  }, timeout(100));

  it("random bytes decoded as latin1 and as UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expectParses(buf.toString("latin1"));
        expectParses(new TextDecoder("utf-8", { fatal: false }).decode(buf));
      }),
      params(),
    );
  }, timeout(40));

  it("grammar-aware mutations of corpus programs (tokens deleted, duplicated, swapped, inserted, truncated)", () => {
    expect(corpusTexts.length).toBeGreaterThan(1000);
    fc.assert(fc.property(corpusMutant, targetArb, (s, t) => expectParses(s, t)), params());
  }, timeout(100));

  describe("pathological inputs", () => {
    const DEPTH = 10_000;
    const cases: [string, string][] = [
      ["((((… in an expression", `BEGIN { $x = ${"(".repeat(DEPTH)}1${")".repeat(DEPTH)}; }`],
      ["unclosed ((((…", `BEGIN { $x = ${"(".repeat(DEPTH)}`],
      ["{{{{… blocks", `BEGIN ${"{".repeat(DEPTH)}${"}".repeat(DEPTH)}`],
      ["unclosed {{{{…", `BEGIN ${"{".repeat(DEPTH)}`],
      ["!!!!…x", `BEGIN { $y = ${"!".repeat(DEPTH)}x; }`],
      ["----…x and ~~~~", `BEGIN { $y = ${"- ".repeat(DEPTH)}x + ${"~".repeat(DEPTH)}1; }`],
      ["if-else chain", `BEGIN { ${"if (1) { 1 } else ".repeat(2000)}{ 2 } }`],
      ["long binary chain", `BEGIN { $x = 1${" + 1".repeat(DEPTH * 5)}; }`],
      ["nested map keys", `BEGIN { @a${"[@a".repeat(2000)}${"]".repeat(2000)} = 1; }`],
      ["bare (((( at top level", "(".repeat(DEPTH)],
      ["bare }}}}", "}".repeat(DEPTH)],
      ["many probes with a syntax error each", "BEGIN { $x = ; }\n".repeat(5000)],
      ["unterminated string", `BEGIN { printf("${"a".repeat(100_000)}`],
      ["unterminated comment", `BEGIN { /*${" x".repeat(100_000)}`],
    ];
    for (const [name, text] of cases) {
      it(name, () => {
        expectParses(text);
        expectParses(text, "0.17");
      });
    }

    it("a 10 MB program", () => {
      const unit = `kprobe:vfs_read /pid == 1234/ { @bytes[comm, tid] = sum(arg2); if ($x > 1) { printf("%d\\n", $x); } }\n`;
      const text = unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length));
      expect(text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
      const problem = parseProblem(text);
      expect(problem).toBeUndefined();
    }, 300_000);

    it("a 10 MB file of garbage bytes", () => {
      let x = 0x12345678;
      const bytes = new Uint8Array(10 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      expectParses(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
    }, 300_000);
  });
});
