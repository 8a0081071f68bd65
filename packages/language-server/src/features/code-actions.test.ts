import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { afterEach, describe, expect, it } from "vitest";
import { defaultOptions } from "../defaults.ts";
import { startClient, type TestClient } from "../testing/harness.ts";
import type { LintFunction } from "../tools.ts";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

const pos = (offset: number) => ({ offset, line: 1, column: offset + 1 });
const span = (start: number, end: number) => ({ start: pos(start), end: pos(end) });
const r = (start: number, end: number) => ({ start: { line: 0, character: start }, end: { line: 0, character: end } });

/** Flags every `bad` and offers `good`; one unfixable finding on `BEGIN`. */
const lint: LintFunction = (text) => {
  const findings: ReturnType<LintFunction>["findings"] = [{ ruleId: "no-fix", severity: "info", message: "no fix here", range: span(0, 5) }];
  for (const m of text.matchAll(/bad/g)) {
    const range = span(m.index, m.index + 3);
    findings.push({ ruleId: "demo", severity: "warning", message: "bad name", range, fix: { edits: [{ range, text: "good" }] } });
  }
  return { findings };
};

describe("code actions", () => {
  it("one quick fix per fixable finding in the range, linked to the client's diagnostic", async () => {
    client = await startClient({ lint });
    const text = "BEGIN { $bad = 1; $x = bad; }";
    const uri = client.open("fix.bt", text);
    const { diagnostics } = await client.diagnostics(uri);
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: r(9, 9),
      context: { diagnostics: diagnostics.filter((d: Diagnostic) => d.range.start.character === 9) },
    });
    expect(actions).toEqual([
      {
        title: "Fix: bad name (demo)",
        kind: "quickfix",
        diagnostics: [{ range: r(9, 12), severity: 2, code: "demo", source: "bt", message: "bad name" }],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: r(9, 12), newText: "good" }] } },
      },
      {
        title: "Disable demo for this line",
        kind: "quickfix",
        diagnostics: [{ range: r(9, 12), severity: 2, code: "demo", source: "bt", message: "bad name" }],
        edit: { changes: { [uri]: [{ range: r(0, 0), newText: "// bt-lint-disable-next-line demo\n" }] } },
      },
      {
        title: "Disable demo for this file",
        kind: "quickfix",
        diagnostics: [{ range: r(9, 12), severity: 2, code: "demo", source: "bt", message: "bad name" }],
        edit: { changes: { [uri]: [{ range: r(0, 0), newText: "// bt-lint-disable-file demo\n" }] } },
      },
      {
        title: "Fix all auto-fixable bt problems (2)",
        kind: "source.fixAll.bt",
        edit: {
          changes: {
            [uri]: [
              { range: r(9, 12), newText: "good" },
              { range: r(23, 26), newText: "good" },
            ],
          },
        },
      },
    ]);
  });

  it("honours context.only", async () => {
    client = await startClient({ lint });
    const uri = client.open("only.bt", "BEGIN { $bad = 1; }");
    await client.diagnostics(uri);
    const fixAll = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: r(0, 0),
      context: { diagnostics: [], only: ["source.fixAll"] },
    });
    expect(fixAll.map((a) => [a.kind, a.title])).toEqual([["source.fixAll.bt", "Fix all auto-fixable bt problems (1)"]]);
    const quick = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: r(0, 19),
      context: { diagnostics: [], only: ["quickfix"] },
    });
    expect(quick.map((a) => a.title)).toEqual([
      "Fix: bad name (demo)",
      "Disable no-fix for this line",
      "Disable no-fix for this file",
      "Disable demo for this line",
      "Disable demo for this file",
    ]);
  });

  it("with the real bt linter: delete(@m[k]) → delete(@m, k) on 0.22+", async () => {
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27" } });
    const text = "BEGIN { @m[1] = 1; delete(@m[1]); }";
    const uri = client.open("real.bt", text);
    const { diagnostics } = await client.diagnostics(uri);
    const target = diagnostics.find((d) => d.code === "version-compat")!;
    expect(target).toBeDefined();
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    });
    const quickFix = actions.find((a) => a.kind === "quickfix")!;
    expect(quickFix.diagnostics).toEqual([target]);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, "bpftrace", 1, text), quickFix.edit!.changes![uri]);
    expect(fixed).toBe("BEGIN { @m[1] = 1; delete(@m, 1); }");
  });
  it("with the real bt linter: disabling for the line or the file silences exactly that finding; directives are extended, not repeated", async () => {
    client = await startClient({ ...defaultOptions(), settings: { target: "0.27" } });
    const text = '#!/usr/bin/env bpftrace\nBEGIN {\n  printf("%d\\n", 1, 2);\n  $x = 1;\n}\nEND { printf("%d\\n", 1, 2); }\n';
    const uri = client.open("disable.bt", text);
    const { diagnostics } = await client.diagnostics(uri);
    const format = diagnostics.find((d) => d.code === "format-string" && d.range.start.line === 2)!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: format.range, context: { diagnostics: [format] } });
    const apply = (action: CodeAction, from = text) => TextDocument.applyEdits(TextDocument.create(uri, "bpftrace", 1, from), action.edit!.changes![uri]);
    const line = actions.find((a) => a.title === "Disable format-string for this line")!;
    const file = actions.find((a) => a.title === "Disable format-string for this file")!;
    const lineFixed = apply(line);
    expect(lineFixed.split("\n").slice(1, 4)).toEqual(["BEGIN {", "  // bt-lint-disable-next-line format-string", '  printf("%d\\n", 1, 2);']);
    const fileFixed = apply(file);
    expect(fileFixed.split("\n").slice(0, 2)).toEqual(["#!/usr/bin/env bpftrace", "// bt-lint-disable-file format-string"]);
    const codes = async (t: string) => {
      const v = client!.change(uri, t);
      return (await client!.diagnostics(uri, v)).diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
    };
    expect(await codes(lineFixed)).toEqual(["variable-unused@4", "format-string@6"]);
    expect(await codes(fileFixed)).toEqual(["variable-unused@4"]);
    // A second rule on the same line joins the existing directive.
    const withDirective = await client.diagnostics(uri);
    const unused = withDirective.diagnostics.find((d) => d.code === "variable-unused")!;
    const more = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: unused.range, context: { diagnostics: [unused] } });
    const fileAgain = more.find((a) => a.title === "Disable variable-unused for this file")!;
    expect(apply(fileAgain, fileFixed).split("\n")[1]).toBe("// bt-lint-disable-file format-string, variable-unused");
  });

  it("rewrite this file for bpftrace X: every exact fix for X, resolved on demand", async () => {
    client = await startClient({
      ...defaultOptions(),
      settings: { target: "0.17" },
      capabilities: { textDocument: { codeAction: { resolveSupport: { properties: ["edit"] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ["source"] } } } } },
    });
    expect(client.initializeResult.capabilities.codeActionProvider).toEqual({
      codeActionKinds: ["quickfix", "source.fixAll.bt", "source.rewrite.bt"],
      resolveProvider: true,
    });
    const text = "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filename)); }\n";
    const uri = client.open("rewrite.bt", text);
    const none = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: r(0, 0), context: { diagnostics: [] } });
    expect(none.filter((a) => a.kind === "source.rewrite.bt")).toEqual([]);
    const offered = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: r(0, 0), context: { diagnostics: [], only: ["source"] } });
    const rewrites = offered.filter((a) => a.kind === "source.rewrite.bt");
    expect(rewrites.map((a) => [a.title, a.edit])).toEqual([
      ["Rewrite this file for bpftrace 0.17", undefined],
      ["Rewrite this file for bpftrace 0.27", undefined],
    ]);
    const resolved = await client.request<CodeAction>("codeAction/resolve", rewrites[1]);
    const rewritten = TextDocument.applyEdits(TextDocument.create(uri, "bpftrace", 1, text), resolved.edit!.changes![uri]);
    expect(rewritten).toBe("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filename)); }\n");
    // For the target itself there is nothing to rewrite.
    const same = await client.request<CodeAction>("codeAction/resolve", rewrites[0]);
    expect(same.edit).toEqual({ changes: { [uri]: [] } });
  });
});
