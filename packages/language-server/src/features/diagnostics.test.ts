import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse, type ParseResult } from "@bt/parser";
import { afterEach, describe, expect, it } from "vitest";
import { defaultOptions } from "../defaults.ts";
import { CLIENT_CAPABILITIES, startClient, type TestClient } from "../testing/harness.ts";
import type { BackgroundLint } from "../background-lint.ts";
import type { LintFunction } from "../tools.ts";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

const at = (offset: number, line = 1) => ({ offset, line, column: offset + 1 });

describe("diagnostics", () => {
  it("without a linter, publishes the parser's diagnostics", async () => {
    client = await startClient({ settings: { target: "0.27" } });
    const uri = client.open("syntax.bt", "BEGIN { @x = 1 +; }\n");
    const published = await client.diagnostics(uri);
    expect(published.version).toBe(1);
    expect(published.diagnostics).toEqual([
      {
        range: { start: { line: 0, character: 16 }, end: { line: 0, character: 17 } },
        severity: 1,
        code: "syntax",
        source: "bt",
        message: "expected expression, found ';'",
      },
    ]);
  });

  it("checks against bt.target and re-checks when it changes", async () => {
    client = await startClient({ settings: { target: "0.21" } });
    const uri = client.open("macro.bt", "macro f() { 1 }\nBEGIN { f() }\n");
    expect((await client.diagnostics(uri)).diagnostics).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 15 } },
        severity: 1,
        code: "version",
        source: "bt",
        message: "macros need bpftrace ≥ 0.24; target is 0.21",
      },
    ]);
    const before = client.published.length;
    await client.configure({ target: "0.24" });
    await expect.poll(() => client!.published.length).toBeGreaterThan(before);
    expect(client.published.at(-1)).toMatchObject({ uri, diagnostics: [] });
    expect(client.logs).toContain("[bt] checking against bpftrace 0.24");
  });

  it("debounces edits: only the last of quick changes is checked", async () => {
    let calls = 0;
    const lint: LintFunction = () => {
      calls++;
      return { findings: [] };
    };
    client = await startClient({ lint, settings: { target: "0.27", diagnosticsDelayMs: 100 } });
    const uri = client.open("typing.bt", "BEGIN { }\n");
    await client.diagnostics(uri, 1);
    client.change(uri, "BEGIN { p }\n");
    client.change(uri, "BEGIN { pr }\n");
    const v4 = client.change(uri, "BEGIN { print(1) }\n");
    await client.diagnostics(uri, v4);
    expect(client.published.filter((p) => p.uri === uri).map((p) => p.version)).toEqual([1, 4]);
    expect(calls).toBe(2);
  });

  it("maps linter findings: code = rule id, codeDescription = docs page; parser duplicates dropped", async () => {
    const lint: LintFunction = (_text, options) => {
      expect(options).toEqual({ target: "0.25", filePath: "/work/test/lint.bt" });
      return {
        findings: [
          {
            ruleId: "syntax",
            severity: "error",
            message: "expected expression, found ';'",
            range: { start: at(16), end: at(17) },
            docsUrl: "https://example.invalid/rules/syntax.md",
          },
          { ruleId: "demo-rule", severity: "info", message: "just so you know", range: { start: at(0), end: at(5) } },
        ],
      };
    };
    client = await startClient({ lint, settings: { target: "0.25" } });
    const uri = client.open("lint.bt", "BEGIN { @x = 1 +; }\n");
    expect((await client.diagnostics(uri)).diagnostics).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
        severity: 3,
        code: "demo-rule",
        source: "bt",
        message: "just so you know",
      },
      {
        range: { start: { line: 0, character: 16 }, end: { line: 0, character: 17 } },
        severity: 1,
        code: "syntax",
        codeDescription: { href: "https://example.invalid/rules/syntax.md" },
        source: "bt",
        message: "expected expression, found ';'",
      },
    ]);
  });

  it("hands the linter the server's parse of exactly the checked text and target", async () => {
    const seen: { text: string; target: string; parsed?: ParseResult }[] = [];
    const lint: LintFunction = (text, options, parsed) => {
      seen.push({ text, target: options.target, parsed });
      return { findings: [] };
    };
    client = await startClient({ lint, settings: { target: "0.21", diagnosticsDelayMs: 0 } });
    const uri = client.open("parsed.bt", "macro f() { 1 }\nBEGIN { f() }\n");
    await client.diagnostics(uri, 1);
    const v2 = client.change(uri, "BEGIN { @x = 1 +; }\n");
    await client.diagnostics(uri, v2);
    expect(seen.map((s) => s.text)).toEqual(["macro f() { 1 }\nBEGIN { f() }\n", "BEGIN { @x = 1 +; }\n"]);
    for (const { text, target, parsed } of seen) {
      expect(target).toBe("0.21");
      expect(parsed).toEqual(parse(text, { target }));
    }
  });

  it("re-parses after an edit (documents are updated in place)", async () => {
    client = await startClient({ settings: { target: "0.27", diagnosticsDelayMs: 0 } });
    const uri = client.open("edit.bt", "BEGIN { @x = 1 +; }\n");
    expect((await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code)).toEqual(["syntax"]);
    const v2 = client.change(uri, "BEGIN { @x = 1; }\n");
    expect((await client.diagnostics(uri, v2)).diagnostics).toEqual([]);
  });

  it("publishes an opened document once, even when settings arrive after the open (as real clients do)", async () => {
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27" }, awaitReady: false });
    const uri = client.open("once.bt", "BEGIN { $x = 1; }\n");
    // Neovim sends its settings after initialized as well.
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: { bt: { target: "0.27" } } });
    await client.diagnostics(uri, 1);
    const second = client.open("twice.bt", "BEGIN { }\n");
    await client.diagnostics(second, 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.published.map((p) => [p.uri.split("/").pop(), p.version, p.diagnostics.map((d) => d.code)])).toEqual([
      ["once.bt", 1, ["variable-unused"]],
      ["twice.bt", 1, []],
    ]);
  });

  it("a syntax error hides only the findings that overlap the broken statement", async () => {
    const seed = readFileSync(fileURLToPath(new URL("../../../../examples/process-lifetime-nix.bt", import.meta.url)), "utf8");
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27", diagnosticsDelayMs: 0 } });
    const uri = client.open("seed.bt", seed);
    const complete = (await client.diagnostics(uri, 1)).diagnostics.map((d) => [d.code, d.range.start.line]);
    expect(complete).toEqual(expect.arrayContaining([
      ["nix-store-path", 0],
      ["nix-store-path", 5],
    ]));
    // Half-typed `print(@` in the END probe: the parse breaks at the `}` below it.
    const v2 = client.change(uri, seed.replace("  clear(@start_times);\n", "  clear(@start_times);\n  print(@\n"));
    const typing = (await client.diagnostics(uri, v2)).diagnostics.map((d) => [d.code, d.range.start.line]);
    // Everything found in the complete file is still there (none of it is in the broken END probe).
    expect(typing).toEqual([...complete, ["syntax", 16]]);
    // Findings of other rules in the readable part show too.
    const v3 = client.change(uri, `BEGIN { printf("%d\\n", 1, 2); }\n${seed.replace("  clear(@start_times);\n", "  clear(@start_times);\n  print(@\n")}`);
    const codes = (await client.diagnostics(uri, v3)).diagnostics.map((d) => d.code);
    expect(codes).toEqual(["format-string", ...complete.map(([code]) => code), "syntax"]);
  });

  it("bt.diagnosticsDelayMs sets the debounce", async () => {
    let calls = 0;
    const lint: LintFunction = () => {
      calls++;
      return { findings: [] };
    };
    client = await startClient({ lint, settings: { target: "0.27", diagnosticsDelayMs: 400 } });
    const uri = client.open("delay.bt", "BEGIN { }\n");
    await client.diagnostics(uri, 1);
    const v2 = client.change(uri, "BEGIN { print(1) }\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.published.some((p) => p.version === v2)).toBe(false);
    await client.diagnostics(uri, v2);
    expect(calls).toBe(2);
  });

  it("pull diagnostics: full report, `unchanged` for the same result, nothing pushed", async () => {
    client = await startClient({
      ...defaultOptions(),
      settings: { target: "0.27" },
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    expect(client.initializeResult.capabilities.diagnosticProvider).toEqual({ interFileDependencies: false, workspaceDiagnostics: false });
    const uri = client.open("pull.bt", "BEGIN { $x = 1; }\n");
    const first = await client.request<{ kind: string; resultId: string; items: { code: string }[] }>("textDocument/diagnostic", { textDocument: { uri } });
    expect(first.kind).toBe("full");
    expect(first.items.map((d) => d.code)).toEqual(["variable-unused"]);
    const again = await client.request<{ kind: string; resultId: string }>("textDocument/diagnostic", { textDocument: { uri }, previousResultId: first.resultId });
    expect(again).toEqual({ kind: "unchanged", resultId: first.resultId });
    client.change(uri, "BEGIN { $x = 1; print($x); }\n");
    const edited = await client.request<{ kind: string; resultId: string; items: unknown[] }>("textDocument/diagnostic", { textDocument: { uri }, previousResultId: first.resultId });
    expect(edited.kind).toBe("full");
    expect(edited.items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.published).toEqual([]);
  });

  it("pull diagnostics after edits: `unchanged` when the new version's diagnostics are exactly the held report's, a full report when one changed or moved", async () => {
    client = await startClient({
      ...defaultOptions(),
      settings: { target: "0.27" },
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    type Report = { kind: string; resultId: string; items?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; message: string }[] };
    const program = ["kprobe:f1 { @a[tid] = 1; }", "kprobe:f2 { $x = 1; }", "END { print(@a); }", ""].join("\n");
    const uri = client.open("held.bt", program);
    const pull = (previousResultId?: string) => client!.request<Report>("textDocument/diagnostic", { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
    const unused = (line: number) => ({
      range: { start: { line, character: 12 }, end: { line, character: 14 } },
      severity: 2,
      code: "variable-unused",
      source: "bt",
      message: "`$x` is assigned but never read.",
      codeDescription: { href: "https://github.com/bt-toolkit/bt/blob/main/docs/rules/variable-unused.md" },
    });
    const first = await pull();
    expect(first.kind).toBe("full");
    expect(first.items).toEqual([unused(1)]);
    // Edits that change no diagnostic: in the probe that has none, in another item's whitespace, a token of f1's.
    let text = program;
    for (const [from, to] of [
      ["@a[tid] = 1;", "@a[tid] = 2;"],
      ["END { print", "END {  print"],
      ["@a[tid] = 2;", "@a[tid] = 2; @a[pid] = 3;"],
    ]) {
      text = text.replace(from, to);
      client.change(uri, text);
      expect(await pull(first.resultId), `after ${to}`).toEqual({ kind: "unchanged", resultId: first.resultId });
    }
    // One changed: its message names the new variable.
    text = text.replace("$x = 1;", "$y = 1;");
    client.change(uri, text);
    const changed = await pull(first.resultId);
    expect(changed.kind).toBe("full");
    expect(changed.resultId).not.toBe(first.resultId);
    expect(changed.items).toEqual([{ ...unused(1), message: "`$y` is assigned but never read." }]);
    // One moved: a line inserted above it.
    text = "\n" + text;
    client.change(uri, text);
    const moved = await pull(changed.resultId);
    expect(moved.kind).toBe("full");
    expect(moved.items).toEqual([{ ...unused(2), message: "`$y` is assigned but never read." }]);
    // Back where it was: a full report again (the client holds the moved one), then `unchanged`.
    text = text.slice(1);
    client.change(uri, text);
    const back = await pull(moved.resultId);
    expect(back.kind).toBe("full");
    expect(back.items).toEqual(changed.items);
    client.change(uri, text.replace("kprobe:f1 {", "kprobe:f1  {"));
    expect(await pull(back.resultId)).toEqual({ kind: "unchanged", resultId: back.resultId });
  });

  it("after an edit, lints only the items linked to the edited one, and pulls what a fresh check of the new text gives", async () => {
    const real = defaultOptions();
    /** How many items each lint was given (the whole file has 6). */
    const linted: number[] = [];
    const lint: LintFunction = (text, options, parsed) => {
      linted.push(parsed?.ast.body.length ?? -1);
      return real.lint!(text, options, parsed);
    };
    client = await startClient({
      ...real,
      lint,
      settings: { target: "0.27" },
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    const program = [
      "config = { max_map_keys = 100 }",
      "kprobe:vfs_read { @reads[tid] = nsecs; $unused = 1; }",
      "kretprobe:vfs_read /@reads[tid]/ { @lat = hist(nsecs - @reads[tid]); delete(@reads[tid]); }",
      "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }",
      "interval:s:1 { print(@opens); clear(@opens); }",
      "END { print(@lat); }",
      "",
    ].join("\n");
    const pull = async (uri: string) =>
      (await client!.request<{ items: unknown[] }>("textDocument/diagnostic", { textDocument: { uri } })).items;
    const uri = client.open("edited.bt", program);
    await pull(uri);
    expect(linted).toEqual([6]);
    const edits = [
      program.replace("$unused = 1;", "$unused = 1; $more = 2;"),
      program.replace("$unused = 1;", "$unused = 1; $more = 2;").replace("@opens[comm] = count();", "@opens[comm] = count(); @x = 1;"),
      program.replace("$unused = 1;", "$unused = 1; $more = 2;").replace("@opens[comm] = count();", "@opens[comm] = count(); @x = 1;").replace("@lat = hist", "@latency = hist"),
    ];
    for (const [i, text] of edits.entries()) {
      client.change(uri, text);
      const items = await pull(uri);
      const fresh = client.open(`fresh-${i}.bt`, text);
      expect(items).toEqual(await pull(fresh));
      client.close(fresh);
    }
    // Each edit re-linted its probe with the probes linked to it by maps (before and after the
    // edit) and the config block; the edited probe's attach points are unchanged, so their rules'
    // findings were kept rather than linted again; each fresh document was linted whole.
    expect(linted).toEqual([6, 4, 6, 3, 6, 4, 6]);
    // An edit of an attach point lints the edited probe alone for the attach-point rules too.
    const retargeted = edits[2].replace("kretprobe:vfs_read", "kretprobe:vfs_write");
    client.change(uri, retargeted);
    const items = await pull(uri);
    const fresh = client.open("fresh-retargeted.bt", retargeted);
    expect(items).toEqual(await pull(fresh));
    expect(linted.slice(7)).toEqual([3, 1, 6]);
  });

  it("after edits that move the items after them (lines, characters on a shared line, a lone CR), pulls what a fresh check gives", async () => {
    client = await startClient({
      ...defaultOptions(),
      settings: { target: "0.27" },
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    const pull = async (uri: string) =>
      (await client!.request<{ items: { range: { start: { line: number; character: number } }; message: string }[] }>("textDocument/diagnostic", { textDocument: { uri } })).items;
    // Findings in every probe; f3's names a line of its own (variable-out-of-scope); f2 and f3 share a line.
    const program = [
      "kprobe:f1 { $a = 1; }",
      "kprobe:f2 { $b = 2; } kprobe:f3 { if (pid) { $c = 3; } print($c); }",
      "kprobe:f4 { $d = 4;",
      "  $e = 5; }",
      "",
    ].join("\n");
    const uri = client.open("moved.bt", program);
    const first = await pull(uri);
    expect(first.map((d) => [d.range.start.line, d.range.start.character])).toEqual([[0, 12], [1, 12], [1, 61], [2, 12], [3, 2]]);
    expect(first[2].message).toContain("(line 2)");
    let text = program;
    const edits: [string, string][] = [
      ["$a = 1;", "$a = 1;\n"], // a line more before everything after it
      ["$b = 2;", "$b = 2;  "], // characters more before f3, on its line
      ["$a = 1;\n", "$a = 1;"], // the line removed again
      ["$a = 1;", "$a = 1;\r"], // a lone CR: LSP's line break, not the parser's
      ["$d = 4;", "$d = 44;"], // an edit inside f4
      ["$b = 2;   }", "$b = 2;  \r}"], // a space made a lone CR: f3 keeps its offset, line and column, but is on the next LSP line
    ];
    for (const [i, [from, to]] of edits.entries()) {
      expect(text).toContain(from);
      text = text.replace(from, to);
      client.change(uri, text);
      const items = await pull(uri);
      const fresh = client.open(`fresh-moved-${i}.bt`, text);
      expect(items, `after edit ${i}`).toEqual(await pull(fresh));
      client.close(fresh);
    }
    expect((await pull(uri)).map((d) => [d.range.start.line, d.range.start.character])).toEqual([[0, 12], [2, 12], [3, 41], [4, 12], [5, 2]]);
  });

  it("while the worker lints a big file, lints its items a few at a time on the server's thread, until the worker answers", async () => {
    const real = defaultOptions();
    /** Each lint on the server's thread: how many items, how much of their text, which rules off. */
    const views: { items: number; chars: number; attachPointRulesOff: boolean }[] = [];
    let answer: (() => void) | undefined;
    const lint: LintFunction = (text, options, parsed) => {
      const body = parsed?.ast.body ?? [];
      views.push({ items: body.length, chars: body.reduce((n, i) => n + i.range.end.offset - i.range.start.offset, 0), attachPointRulesOff: !!options.rulesOff?.includes("machine-attach-point") });
      if (views.length === 3) answer?.();
      return real.lint!(text, options, parsed);
    };
    const backgroundLint: BackgroundLint = {
      lint: (_key, text, options) =>
        new Promise((resolve) => {
          answer = () => resolve({ findings: real.lint!(text, { target: options.target }).findings, parseDiagnostics: parse(text, { target: "0.27" }).diagnostics });
        }),
      dispose() {},
    };
    client = await startClient({
      ...real,
      lint,
      backgroundLint,
      settings: { target: "0.27" },
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    // 2,900 probes of 24 characters: 72 KB, linted in the worker.
    const probes = Array.from({ length: 2900 }, (_, i) => `kprobe:f${String(i).padStart(4, "0")} { $v = 1; }`);
    expect(probes[0].length).toBe(24);
    const uri = client.open("big.bt", probes.join("\n") + "\n");
    const items = (await client.request<{ items: { code: string }[] }>("textDocument/diagnostic", { textDocument: { uri } })).items;
    expect(items.map((i) => i.code)).toEqual(Array(2900).fill("variable-unused"));
    // Three steps of 171 probes (4,096 characters and the probe that reaches them), the attach-point
    // rules off as in an incremental lint; none after the worker's answer.
    expect(views).toEqual(Array(3).fill({ items: 171, chars: 171 * 24, attachPointRulesOff: true }));
  });

  it("pushed after quick edits: the versions in between were never linted, the last is linted incrementally", async () => {
    const real = defaultOptions();
    const linted: number[] = [];
    const lint: LintFunction = (text, options, parsed) => {
      linted.push(parsed?.ast.body.length ?? -1);
      return real.lint!(text, options, parsed);
    };
    client = await startClient({ ...real, lint, settings: { target: "0.27", diagnosticsDelayMs: 100 } });
    const program = ["kprobe:vfs_read { @reads[tid] = nsecs; }", "kretprobe:vfs_read { delete(@reads[tid]); }", "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }", "END { print(@opens); }", ""].join("\n");
    const uri = client.open("pushed.bt", program);
    await client.diagnostics(uri, 1);
    // Each change asks for the tree (as hover would), so each version's is made from the one before.
    let version = 1;
    for (const text of [program.replace("nsecs;", "nsecs; $a = 1;"), program.replace("nsecs;", "nsecs; $a = 1; $b = 2;"), program.replace("nsecs;", "nsecs; $a = 1; $b = 2; $c = 3;")]) {
      version = client.change(uri, text);
      await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 2 } });
    }
    const pushed = await client.diagnostics(uri, version);
    const fresh = client.open("fresh.bt", program.replace("nsecs;", "nsecs; $a = 1; $b = 2; $c = 3;"));
    expect(pushed.diagnostics).toEqual((await client.diagnostics(fresh)).diagnostics);
    expect(pushed.diagnostics.map((d) => d.code)).toEqual(["variable-unused", "variable-unused", "variable-unused", "version-compat", "return-value-discarded"]);
    // The first version whole; the last one's probe with the one sharing @reads (its attach point kept its findings); the fresh document whole.
    expect(linted).toEqual([4, 2, 4]);
  });

  it("a crashing linter degrades to parser diagnostics with a log line", async () => {
    const lint: LintFunction = () => {
      throw new Error("boom");
    };
    client = await startClient({ lint });
    const uri = client.open("crash.bt", "BEGIN { @x = 1 +; }\n");
    expect((await client.diagnostics(uri)).diagnostics.map((d) => d.code)).toEqual(["syntax"]);
    expect(client.logs).toContain("[bt] the linter failed on file:///work/test/crash.bt: boom; showing parser diagnostics only");
  });

  it("clears diagnostics when a document closes", async () => {
    client = await startClient();
    const uri = client.open("close.bt", "BEGIN { @x = 1 +; }\n");
    await client.diagnostics(uri);
    client.close(uri);
    await expect.poll(() => client!.published.at(-1)).toEqual({ uri, diagnostics: [] });
  });

  it("with the real bt linter: rule ids and docs links", async () => {
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27" } });
    const uri = client.open("real.bt", 'BEGIN { $x = 1; }\nkprobe:f { printf("%d\\n", 1, 2); }\n');
    const { diagnostics } = await client.diagnostics(uri);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.source])).toEqual([
      ["variable-unused", 0, 8, "bt"],
      ["format-string", 1, 29, "bt"],
    ]);
    expect(diagnostics[0].codeDescription?.href).toMatch(/\/variable-unused\.md$/);
  });

  it("with the real bt linter: rule settings from the file's .btlintrc.json, as bt-lint reads them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-lsp-config-"));
    writeFileSync(join(dir, ".btlintrc.json"), JSON.stringify({ rules: { "variable-unused": "off", "format-string": "warn" } }));
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27" } });
    const uri = client.open(pathToFileURL(join(dir, "configured.bt")).href, 'BEGIN { $x = 1; }\nkprobe:f { printf("%d\\n", 1, 2); }\n');
    const { diagnostics } = await client.diagnostics(uri);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["format-string", 2]]);
    // a broken configuration: the parser's diagnostics and one log line
    writeFileSync(join(dir, ".btlintrc.json"), JSON.stringify({ rules: { "no-such-rule": "off" } }));
    const v2 = client.change(uri, "BEGIN { $x = 1; }\n");
    expect((await client.diagnostics(uri, v2)).diagnostics).toEqual([]);
    await expect.poll(() => client!.logs.some((l) => l.includes(`unknown rule "no-such-rule"`)), { message: JSON.stringify(client!.logs) }).toBe(true);
  });
});
