import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type ParseResult } from "@bt/parser";
import { machineFromFacts } from "@bt/system";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultOptions } from "./defaults.ts";
import { reparseWindow, stretchDiagnostics } from "./incremental.ts";
import { compareDiagnostics, LAYOUT_RULES, LintSnapshot } from "./incremental-lint.ts";

/**
 * An incremental lint must give exactly the findings (and parse diagnostics) of a full lint of
 * the new text, edit after edit: each test edits a program several times in a row, updating the
 * snapshot as the server does, and compares every version with lintText of its whole text.
 */

const TARGET = "0.27";
const SETTINGS = "test";
const lint = defaultOptions().lint!;
const CORPUS = "/work/shared/corpus";

function readAll(dir: string, limit: number): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".bt"))
      .sort()
      .slice(0, limit)
      .map((f) => readFileSync(join(dir, f), "utf8"));
  } catch {
    return [];
  }
}

const tools = readAll(join(CORPUS, "tools-HEAD"), 40);
const semanticCases = readAll(join(CORPUS, "semantic", "cases"), 400).filter((text) => text.length < 4000);
const big = (() => {
  try {
    return readFileSync(join(CORPUS, "bench", "big.bt"), "utf8");
  } catch {
    return undefined;
  }
})();

const SAMPLE = [
  "#!/usr/bin/env bpftrace",
  "config = { max_map_keys = 100 }",
  "macro twice($x) { $x * 2 }",
  "fn half($v: int64): int64 { return $v / 2; }",
  "kprobe:do_sys_open { @opens[comm] = count(); $unused = 1; }",
  "",
  "tracepoint:syscalls:sys_enter_read /pid > 1/",
  "{",
  "  @bytes = hist(args.count); /* size */",
  "  $t = twice(1);",
  "  let $x; if ($t) { $y = 1; } print($y);",
  "}",
  "kretprobe:vfs_read { @ret[tid] = retval; @bytes = 2; $h = half(3); }",
  "END { print(@opens); clear(@opens); print(@never); }",
  "",
].join("\n");

/** A machine with a few kernel functions and tracepoints: the machine rules report every other attach point of the tools. */
const machine = machineFromFacts({
  kernelFunctions: ["vfs_read", "vfs_write", "vfs_open", "do_sys_openat2", "tcp_sendmsg", "tcp_v4_connect", "blk_account_io_start", "blk_mq_start_request"],
  tracepoints: { "syscalls:sys_enter_openat": [["dfd", "int"], ["filename", "const char *"], ["flags", "int"]], "sched:sched_switch": [["prev_pid", "pid_t"], ["next_pid", "pid_t"]] },
  structs: { task_struct: [["pid", "pid_t"], ["tgid", "pid_t"], ["comm", "char[16]"]] },
});
let withMachine = false;
const options = () => ({ target: TARGET, ...(withMachine ? { machine } : {}) });

const full = (text: string) => {
  const parsed = parse(text, { target: TARGET });
  return { parsed, findings: lint(text, options(), parsed).findings };
};

/** How many versions follow linted incrementally without linting anything (whitespace edits). */
let unlinted = 0;

/** Follows a document through `texts`, linting incrementally where it can; returns how many versions were. */
function follow(texts: string[]): number {
  let text = texts[0];
  let { parsed } = full(text);
  let snapshot = LintSnapshot.fromFull(text, SETTINGS, parsed, full(text).findings, parsed.diagnostics);
  let incremental = 0;
  for (const next of texts.slice(1)) {
    const reparsed: { parsed: ParseResult; window: Parameters<LintSnapshot["update"]>[3] } | undefined = next === text ? undefined : reparseWindow(parsed, text, next, TARGET);
    let lints = 0;
    const updated =
      snapshot && reparsed?.parsed && snapshot.update(next, SETTINGS, reparsed.parsed, reparsed.window, (view, rulesOff) => (lints++, lint(next, { ...options(), rulesOff }, view).findings), Infinity);
    const expected = full(next);
    if (updated) {
      incremental++;
      if (lints === 0) unlinted++;
      expect(updated.findings, `after editing to:\n${next}`).toEqual(expected.findings);
      expect(updated.diagnostics, `after editing to:\n${next}`).toEqual([...expected.parsed.diagnostics].sort(compareDiagnostics));
      snapshot = updated;
      parsed = reparsed!.parsed;
    } else {
      parsed = expected.parsed;
      snapshot = LintSnapshot.fromFull(next, SETTINGS, parsed, expected.findings, parsed.diagnostics);
    }
    text = next;
  }
  return incremental;
}

/**
 * Follows a document through `texts` making each tree from the one before (as the server does for
 * every request) but linting only the last version, from the first one's snapshot (a client that
 * is pushed diagnostics after a pause); returns whether that lint was incremental.
 */
function followSkipping(texts: string[]): boolean {
  const first = full(texts[0]);
  const snapshot = LintSnapshot.fromFull(texts[0], SETTINGS, first.parsed, first.findings, first.parsed.diagnostics);
  let parsed = first.parsed;
  for (let i = 1; i < texts.length; i++) {
    parsed = (texts[i] === texts[i - 1] ? undefined : reparseWindow(parsed, texts[i - 1], texts[i], TARGET)?.parsed) ?? parse(texts[i], { target: TARGET });
  }
  const last = texts.at(-1)!;
  const window = snapshot?.windowTo(last, parsed.ast.body, (start, startPosition, end) => stretchDiagnostics(last, start, startPosition, end, TARGET));
  const updated = window && snapshot!.update(last, SETTINGS, parsed, window, (view, rulesOff) => lint(last, { ...options(), rulesOff }, view).findings, Infinity);
  if (!updated) return false;
  const expected = full(last);
  expect(updated.findings, `after editing to:\n${last}`).toEqual(expected.findings);
  expect(updated.diagnostics, `after editing to:\n${last}`).toEqual([...expected.parsed.diagnostics].sort(compareDiagnostics));
  return true;
}

/** Edits inside every probe, fn and macro body: a statement added, a map renamed, the last statement removed. */
function editsOfEveryItem(text: string): string[] {
  const { ast } = parse(text, { target: TARGET });
  const edits: string[] = [];
  for (const item of [...ast.body].reverse()) {
    if (item.type !== "Probe" && item.type !== "FnDef") continue;
    const open = item.body.range.start.offset + 1;
    edits.push(text.slice(0, open) + " @edited_map[1] = 1; $edited = 2;" + text.slice(open));
    const mapMatch = /@\w+/.exec(text.slice(open, item.range.end.offset));
    if (mapMatch) {
      const at = open + mapMatch.index + mapMatch[0].length;
      edits.push(text.slice(0, at) + "_renamed" + text.slice(at));
    }
    const close = item.body.range.end.offset - 1;
    const lastStatement = text.lastIndexOf(";", close);
    if (lastStatement > open) {
      const previous = Math.max(text.lastIndexOf(";", lastStatement - 1), open - 1);
      if (previous >= open - 1) edits.push(text.slice(0, previous + 1) + text.slice(lastStatement + 1));
    }
    edits.push(text.slice(0, close) + "\n" + text.slice(close));
  }
  return edits;
}

/**
 * Whitespace edits of every probe and fn (and between items): a space after the first run of
 * non-blanks in its body and in the middle of that run, a line break there, its body's lines indented two more spaces (all of them at once), a
 * space removed, a blank line before it, and a line break and indentation inserted just before its
 * closing brace.
 */
function whitespaceEditsOfEveryItem(text: string): string[] {
  const { ast } = parse(text, { target: TARGET });
  const edits: string[] = [];
  for (const item of [...ast.body].reverse()) {
    if (item.type !== "Probe" && item.type !== "FnDef") continue;
    const open = item.body.range.start.offset + 1;
    const close = item.body.range.end.offset - 1;
    const token = /\S+/.exec(text.slice(open, close));
    if (token) {
      // After the first run of non-blanks, and in its middle (which may split a token: not a whitespace edit then).
      const end = open + token.index + token[0].length;
      const middle = open + token.index + Math.max(1, Math.floor(token[0].length / 2));
      for (const at of [end, middle]) edits.push(text.slice(0, at) + " " + text.slice(at), text.slice(0, at) + "\n" + text.slice(at));
    }
    const body = text.slice(open, close);
    if (body.includes("\n")) edits.push(text.slice(0, open) + body.replace(/\n/g, "\n  ") + text.slice(close));
    const space = text.indexOf(" ", open);
    if (space >= 0 && space < close) edits.push(text.slice(0, space) + text.slice(space + 1));
    const start = item.range.start.offset;
    edits.push(text.slice(0, start) + "\n" + text.slice(start), text.slice(0, close) + "\n\t " + text.slice(close));
  }
  return edits;
}

/** Runs of `minLength` to 6 single-character edits: where in the text (0–1), what, which character. */
function randomEdits(minLength: number) {
  const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom("insert" as const, "delete" as const, "replace" as const), fc.constantFrom(" ", "\n", "x", "1", ";", "@", "$", "}", "(", "a"));
  return fc.array(edit, { minLength, maxLength: 6 });
}

/** The versions of `program` as the edits (where in it, what, which character) are applied one after another. */
function applied(program: string, edits: [number, "insert" | "delete" | "replace", string][]): string[] {
  const texts = [program];
  let text = program;
  for (const [where, kind, char] of edits) {
    const at = Math.floor(where * text.length);
    text = kind === "insert" ? text.slice(0, at) + char + text.slice(at) : kind === "delete" ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + char + text.slice(at + 1);
    texts.push(text);
  }
  return texts;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** A full lint of `program`, and updateTo: its snapshot updated to `next` (checked against a full lint of it), with how many lints that took. */
function snapshotOf(program: string) {
  const { parsed, findings } = full(program);
  const snapshot = LintSnapshot.fromFull(program, SETTINGS, parsed, findings, parsed.diagnostics)!;
  const updateTo = (next: string) => {
    const reparsed = reparseWindow(parsed, program, next, TARGET)!;
    let lints = 0;
    const updated = snapshot.update(next, SETTINGS, reparsed.parsed, reparsed.window, (view, rulesOff) => (lints++, lint(next, { ...options(), rulesOff }, view).findings), Infinity)!;
    expect(updated.findings).toEqual(full(next).findings);
    return { findings: updated.findings, lints };
  };
  return { findings, updateTo };
}

describe("incremental lint", () => {
  it("equals a full lint after edits of every probe and fn of a sample, one after the other from the original", () => {
    let incremental = 0;
    for (const edited of editsOfEveryItem(SAMPLE)) incremental += follow([SAMPLE, edited, SAMPLE]);
    expect(incremental).toBeGreaterThan(20);
  });

  it("equals a full lint after edits of every probe of the corpus tools", () => {
    expect(tools.length).toBeGreaterThan(30);
    let incremental = 0;
    for (const tool of tools) for (const edited of editsOfEveryItem(tool)) incremental += follow([tool, edited, tool]);
    expect(incremental).toBeGreaterThan(200);
  }, 120_000);

  it("equals a full lint after edits of every probe of the corpus tools, checked against a machine", () => {
    withMachine = true;
    try {
      let incremental = 0;
      let machineFindings = 0;
      for (const tool of tools) {
        machineFindings += full(tool).findings.filter((f) => f.ruleId.startsWith("machine-")).length;
        for (const edited of editsOfEveryItem(tool)) incremental += follow([tool, edited, tool]);
      }
      expect(machineFindings).toBeGreaterThan(40);
      expect(incremental).toBeGreaterThan(200);
    } finally {
      withMachine = false;
    }
  }, 120_000);

  it("equals a full lint after whitespace edits of every probe and fn of the sample and the corpus tools (checked against a machine), mostly without linting", () => {
    unlinted = 0;
    let incremental = 0;
    let edits = 0;
    withMachine = true;
    try {
      for (const tool of [SAMPLE, ...tools]) {
        for (const edited of whitespaceEditsOfEveryItem(tool)) {
          incremental += follow([tool, edited, tool]);
          edits += 2;
        }
      }
    } finally {
      withMachine = false;
    }
    // 2,200 versions, 1,796 linted incrementally (the others split a token, most into a grammar error), 1,658 of those linting nothing.
    expect(edits).toBeGreaterThan(2000);
    expect(incremental).toBeGreaterThan(1700);
    expect(unlinted).toBeGreaterThan(1600);
  }, 300_000);

  it("equals a full lint after random whitespace edits in a row, each one type of a space, line break or tab", () => {
    unlinted = 0;
    let incremental = 0;
    const whitespace = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom("insert" as const, "delete" as const, "replace" as const), fc.constantFrom(" ", "\n", "\t", "  ")), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.constantFrom(SAMPLE, ...tools, ...semanticCases), whitespace, (program, edits) => {
        incremental += follow(applied(program, edits));
      }),
      { numRuns: 300, seed: 16 },
    );
    // 584 versions linted incrementally, 315 of them linting nothing.
    expect(incremental).toBeGreaterThan(500);
    expect(unlinted).toBeGreaterThan(280);
  }, 300_000);

  it("keeps the old findings, moved, after a whitespace edit: one spanning the edit grows, one after it moves, one naming a line is linted again when lines moved", () => {
    const program = "kprobe:f { $a = 1; if (pid) { $c = 3; } print($c); }\n";
    const { findings, updateTo } = snapshotOf(program);
    expect(findings.map((f) => [f.ruleId, f.range.start.offset, f.range.end.offset])).toEqual([
      ["variable-unused", 11, 13],
      ["variable-out-of-scope", 46, 48],
    ]);
    const spaced = updateTo(program.replace("$a = 1;", "$a  =  1;"));
    expect(spaced.lints).toBe(0);
    expect(spaced.findings.map((f) => [f.ruleId, f.range.start.offset, f.range.end.offset, f.range.start.column])).toEqual([
      ["variable-unused", 11, 13, 12],
      ["variable-out-of-scope", 48, 50, 49],
    ]);
    // A line break: the out-of-scope message names the line of `$c = 3`, so the probe is linted again.
    const broken = updateTo(program.replace("{ $c = 3;", "{\n $c = 3;"));
    expect(broken.lints).toBe(1);
    expect(broken.findings[1].message).toContain("(line 2)");
  });

  it("after a whitespace edit inside the node a finding quotes (its message and fix hold source text), lints again; outside it, keeps the finding", () => {
    const program = "kprobe:f { @a[1 + 2] = 1; delete(@a[1 + 2]); }\n";
    const { findings, updateTo } = snapshotOf(program);
    const quoting = (list: readonly { ruleId: string }[]) => list.find((f) => f.ruleId === "version-compat") as (typeof findings)[number];
    expect(findings.map((f) => [f.ruleId, f.fix?.edits[0].text])).toEqual([
      ["version-compat", "delete(@a, 1 + 2)"],
      ["return-value-discarded", undefined],
    ]);
    expect(quoting(findings).message).toContain("delete(@a, 1 + 2)");
    const inside = updateTo(program.replace("delete(@a[1 + 2])", "delete(@a[1  + 2])"));
    expect(inside.lints).toBe(1);
    expect(quoting(inside.findings).fix?.edits[0].text).toBe("delete(@a, 1  + 2)");
    const outside = updateTo(program.replace("@a[1 + 2] = 1;", "@a[1 + 2]  =  1;"));
    expect(outside.lints).toBe(0);
    expect(quoting(outside.findings).range.start.offset).toBe(quoting(findings).range.start.offset + 2);
  });

  it("lists as LAYOUT_RULES exactly the rules whose code reads source text", () => {
    const dir = join(import.meta.dirname, "..", "..", "linter", "src", "rules");
    const quoting = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && /\.source\(|\bctx\.text\b|\bcontext\.text\b/.test(readFileSync(join(dir, f), "utf8")))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(quoting.sort()).toEqual([...LAYOUT_RULES].sort());
  });

  it("equals a full lint after random single-character edits in a row", () => {
    let incremental = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(SAMPLE, ...tools, ...semanticCases),
        randomEdits(1),
        (program, edits) => {
          incremental += follow(applied(program, edits));
        },
      ),
      { numRuns: 300, seed: 14 },
    );
    expect(incremental).toBeGreaterThan(150);
  }, 300_000);

  it("equals a full lint when versions in between were parsed but not linted", () => {
    let incremental = 0;
    for (const tool of [SAMPLE, ...tools]) {
      const edits = editsOfEveryItem(tool);
      for (let i = 0; i + 1 < edits.length; i += 2) {
        // A third version mixing the two edits (the second one's tail on the first one's head): any run of versions must do.
        const second = edits[i + 1];
        const cut = commonPrefixLength(tool, second);
        const both = edits[i].slice(0, edits[i].length - (tool.length - cut)) + second.slice(cut);
        if (followSkipping([tool, edits[i], both])) incremental++;
        if (followSkipping([tool, edits[i], tool, second])) incremental++;
      }
    }
    expect(incremental).toBeGreaterThan(100);
    // A comment between two items rewritten in a version in between, to a directive naming no rule
    // (a finding) of the same length, so that no item moves; then a probe elsewhere edited: the
    // text between the items is not the snapshot's, so this is linted in full.
    const directive = "// bt-lint-disable-next-line no-such-rule";
    const plain = `// ${"x".repeat(directive.length - 3)}`;
    const commented = SAMPLE.replace("\n\ntracepoint:", `\n${plain}\ntracepoint:`);
    const rewritten = commented.replace(plain, directive);
    expect(rewritten.length).toBe(commented.length);
    expect(followSkipping([commented, rewritten, rewritten.replace("print(@never);", "print(@never); print(@opens);")])).toBe(false);
  }, 120_000);

  it("equals a full lint after random single-character edits linted only at the end", () => {
    let incremental = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(SAMPLE, ...tools, ...semanticCases),
        randomEdits(2),
        (program, edits) => {
          if (followSkipping(applied(program, edits))) incremental++;
        },
      ),
      { numRuns: 300, seed: 15 },
    );
    expect(incremental).toBeGreaterThan(30);
  }, 300_000);

  it("keeps an edited probe's attach-point findings when its attach points did not change, and lints them again when they did", () => {
    withMachine = true;
    try {
      const program = "kprobe:vfs_readx { @reads[tid] = 1; }\nkretprobe:vfs_read { print(@reads[tid]); }\n";
      const { parsed, findings } = full(program);
      const snapshot = LintSnapshot.fromFull(program, SETTINGS, parsed, findings, parsed.diagnostics)!;
      const missing = findings.filter((f) => f.ruleId === "machine-attach-point");
      expect(missing.map((f) => [f.message.slice(0, 52), f.range.start.offset, f.range.end.offset])).toEqual([["No kernel function `vfs_readx` on this machine (from", 7, 16]]);
      /** The update of `next`, and the rules each lint it made left off. */
      const updateTo = (next: string) => {
        const reparsed = reparseWindow(parsed, program, next, TARGET)!;
        const off: (readonly string[])[] = [];
        const updated = snapshot.update(next, SETTINGS, reparsed.parsed, reparsed.window, (view, rulesOff) => (off.push(rulesOff), lint(next, { ...options(), rulesOff }, view).findings), Infinity);
        return { updated: updated!, off };
      };
      // An edit of the body: one lint (the attach-point rules left off), and the edited probe's finding is the same object.
      const body = updateTo(program.replace("@reads[tid] = 1;", "@reads[tid] = 2;"));
      expect(body.off.map((o) => o.includes("machine-attach-point"))).toEqual([true]);
      expect(body.updated.findings.filter((f) => f.ruleId === "machine-attach-point")).toEqual(missing);
      expect(body.updated.findings.find((f) => f.ruleId === "machine-attach-point")).toBe(snapshot.findings.find((f) => f.ruleId === "machine-attach-point"));
      expect(body.updated.findings).toEqual(full(program.replace("@reads[tid] = 1;", "@reads[tid] = 2;")).findings);
      // An edit of the attach point: its rules run on the edited probe, and the finding is gone.
      const fixed = program.replace("vfs_readx", "vfs_read");
      const attachPoint = updateTo(fixed);
      expect(attachPoint.off.map((o) => o.includes("machine-attach-point"))).toEqual([true, false]);
      expect(attachPoint.updated.findings.filter((f) => f.ruleId === "machine-attach-point")).toEqual([]);
      expect(attachPoint.updated.findings).toEqual(full(fixed).findings);
    } finally {
      withMachine = false;
    }
  });

  it.runIf(big)("equals a full lint after edits of probes across big.bt", () => {
    const edits = editsOfEveryItem(big!);
    const step = Math.floor(edits.length / 12);
    let incremental = 0;
    for (let i = 0; i < edits.length; i += step) incremental += follow([big!, edits[i]]);
    expect(incremental).toBeGreaterThan(8);
  }, 300_000);

  it.runIf(big)("equals a full lint after whitespace edits of probes across big.bt, most linting nothing", () => {
    unlinted = 0;
    const spaced = whitespaceEditsOfEveryItem(big!);
    const step = Math.floor(spaced.length / 8);
    let incremental = 0;
    for (let i = 0; i < spaced.length; i += step) incremental += follow([big!, spaced[i]]);
    expect(incremental).toBeGreaterThan(6);
    expect(unlinted).toBeGreaterThan(5);
  }, 300_000);
});
