import type { DocumentSymbol, SymbolInformation } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_CAPABILITIES, startClient, type TestClient } from "../testing/harness.ts";

const TEXT = [
  "config = { max_map_keys = 10 }", // 0
  "let @m = lruhash(10);", // 1
  "macro twice($x) { $x * 2 }", // 2
  "fn add($a: int64): int64 { return $a + 1; }", // 3
  "kprobe:f, kprobe:g /pid == 1/ {", // 4
  "  @m[1] = 1; @other = count();", // 5
  "}", // 6
].join("\n");
const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

describe("document symbols", () => {
  it("probes, macros, fns, config and maps, in source order", async () => {
    const uri = client.open("symbols.bt", TEXT);
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(symbols).toEqual([
      {
        name: "config",
        kind: 3,
        range: r(0, 0, 0, 30),
        selectionRange: r(0, 0, 0, 30),
        children: [{ name: "max_map_keys", kind: 7, range: r(0, 11, 0, 28), selectionRange: r(0, 11, 0, 23) }],
      },
      { name: "@m", detail: "lruhash", kind: 13, range: r(1, 0, 1, 21), selectionRange: r(1, 4, 1, 6) },
      { name: "twice", detail: "macro($x)", kind: 12, range: r(2, 0, 2, 26), selectionRange: r(2, 6, 2, 11) },
      { name: "add", detail: "fn($a)", kind: 12, range: r(3, 0, 3, 43), selectionRange: r(3, 3, 3, 6) },
      { name: "kprobe:f, kprobe:g", detail: "/pid == 1/", kind: 24, range: r(4, 0, 6, 1), selectionRange: r(4, 0, 4, 18) },
      { name: "@other", detail: "map", kind: 13, range: r(5, 13, 5, 19), selectionRange: r(5, 13, 5, 19) },
    ]);
  });

  it("a flat list for clients without hierarchical support", async () => {
    const flat = await startClient({
      capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, documentSymbol: {} } },
    });
    try {
      const uri = flat.open("flat.bt", TEXT);
      const symbols = await flat.request<SymbolInformation[]>("textDocument/documentSymbol", { textDocument: { uri } });
      expect(symbols.map((s) => [s.name, s.containerName])).toEqual([
        ["config", undefined],
        ["max_map_keys", "config"],
        ["@m", undefined],
        ["twice", undefined],
        ["add", undefined],
        ["kprobe:f, kprobe:g", undefined],
        ["@other", undefined],
      ]);
      expect(symbols[0].location).toEqual({ uri, range: r(0, 0, 0, 30) });
    } finally {
      await flat.shutdown();
    }
  });
});
