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
    expect(quick.map((a) => a.title)).toEqual(["Fix: bad name (demo)"]);
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
});
