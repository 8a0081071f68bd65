import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextEdit } from "vscode-languageserver-protocol";
import { format } from "prettier-plugin-bpftrace/source";
import { afterEach, describe, expect, it } from "vitest";
import { defaultOptions } from "../defaults.ts";
import { startClient, type TestClient } from "../testing/harness.ts";
import type { FormatFunction } from "../tools.ts";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create("file:///x.bt", "bpftrace", 1, text), edits);
const options = { tabSize: 2, insertSpaces: true };

/** A stand-in formatter: upper-cases `begin`, indents with the requested width. */
const fake: FormatFunction = async (text, o) => {
  if (text.includes("@@")) throw new Error("x.bt:1:1: syntax error");
  return text.replace(/^begin/gm, "BEGIN").replace(/^\s+(?=\S)/gm, o.useTabs ? "\t" : " ".repeat(o.tabWidth ?? 2));
};

describe("formatting", () => {
  it("is offered only with a formatter", async () => {
    client = await startClient();
    expect(client.initializeResult.capabilities.documentFormattingProvider).toBeUndefined();
    await client.shutdown();
    client = await startClient({ format: fake });
    expect(client.initializeResult.capabilities.documentFormattingProvider).toBe(true);
    expect(client.initializeResult.capabilities.documentRangeFormattingProvider).toBe(true);
  });

  it("whole document: minimal line edits, options passed through", async () => {
    const calls: unknown[] = [];
    client = await startClient({ format: (t, o) => (calls.push(o), fake(t, o)) });
    const text = "begin {\n    print(1);\n}\nend {\n  print(2);\n}\n";
    const uri = client.open("fmt.bt", text);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: false } });
    expect(calls).toEqual([{ filepath: "/work/test/fmt.bt", tabWidth: 4, useTabs: true }]);
    expect(edits).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, newText: "BEGIN {\n\tprint(1);\n" },
      { range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: "\tprint(2);\n" },
    ]);
    expect(apply(text, edits)).toBe("BEGIN {\n\tprint(1);\n}\nend {\n\tprint(2);\n}\n");
  });

  it("range: only the changes that touch the range", async () => {
    client = await startClient({ format: fake });
    const text = "begin {\n    print(1);\n}\nend {\n      print(2);\n}\n";
    const uri = client.open("range.bt", text);
    const edits = await client.request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri },
      range: { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } },
      options,
    });
    expect(edits).toEqual([{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: "  print(2);\n" }]);
  });

  it("already formatted → no edits; unformattable → null and one log line", async () => {
    client = await startClient({ format: fake });
    const good = client.open("good.bt", "BEGIN {\n  print(1);\n}\n");
    expect(await client.request("textDocument/formatting", { textDocument: { uri: good }, options })).toEqual([]);
    const bad = client.open("bad.bt", "BEGIN { @@ }\n");
    expect(await client.request("textDocument/formatting", { textDocument: { uri: bad }, options })).toBeNull();
    expect(client.logs).toContain("[bt] not formatting file:///work/test/bad.bt: x.bt:1:1: syntax error");
  });

  it("with prettier-plugin-bpftrace: edits reproduce its output exactly and are idempotent", async () => {
    client = await startClient({ ...defaultOptions() });
    const text = "kprobe:do_nanosleep /pid>0/ { @start[tid]=nsecs;\n$x=1;  }\nEND{clear(@start)}\n";
    const uri = client.open("real.bt", text);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options });
    expect(client.logs.filter((l) => l.includes("not formatting"))).toEqual([]);
    const formatted = apply(text, edits);
    expect(formatted).toBe(await format(text, { tabWidth: 2, useTabs: false }));
    expect(formatted).not.toBe(text);
    client.change(uri, formatted);
    expect(await client.request("textDocument/formatting", { textDocument: { uri }, options })).toEqual([]);
  });
});
