import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClient, type TestClient } from "../testing/harness.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

/** Decode the relative encoding back to `text: type+modifiers` for readable expectations. */
function decode(text: string, data: number[], legend: SemanticTokensLegend): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, length, type, bits] = data.slice(i, i + 5);
    line += dLine;
    character = dLine === 0 ? character + dChar : dChar;
    const modifiers = legend.tokenModifiers.filter((_, b) => bits & (1 << b));
    out.push(`${lines[line].slice(character, character + length)}: ${[legend.tokenTypes[type], ...modifiers].join(" ")}`);
  }
  return out;
}

describe("semantic tokens", () => {
  it("maps, variables, builtins, calls, macros, fns, providers, fields, config keys and casts", async () => {
    const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend;
    const text = [
      "config = { max_map_keys = 10 }",
      "macro twice($x) { $x * 2 }",
      "fn inc($a: int64): int64 { return $a + 1; }",
      "kprobe:vfs_read /pid > $1/ {",
      "  $t = (uint64)nsecs; @start[tid] = twice($t); @n = inc(1); print(curtask->pid); @c = count();",
      "}",
    ].join("\n");
    const uri = client.open("tokens.bt", text);
    const tokens = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(decode(text, tokens.data, legend)).toEqual([
      "max_map_keys: property",
      "twice: macro declaration",
      "$x: parameter declaration",
      "$x: variable",
      "inc: function declaration",
      "$a: parameter declaration",
      "int64: type",
      "int64: type",
      "$a: variable",
      "kprobe: namespace",
      "vfs_read: function",
      "pid: variable readonly defaultLibrary",
      "$1: parameter readonly",
      "$t: variable modification",
      "uint64: type",
      "nsecs: variable readonly defaultLibrary",
      "@start: variable modification",
      "tid: variable readonly defaultLibrary",
      "twice: macro",
      "$t: variable",
      "@n: variable modification",
      "inc: function",
      "print: function defaultLibrary",
      "curtask: variable readonly defaultLibrary",
      "pid: property",
      "@c: variable modification",
      "count: function defaultLibrary",
    ]);
  });

  it("a range request returns only the tokens in it", async () => {
    const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend;
    const text = "BEGIN { @a = 1; }\nEND { @b = 2; }\n";
    const uri = client.open("range-tokens.bt", text);
    const tokens = await client.request<SemanticTokens>("textDocument/semanticTokens/range", {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 15 } },
    });
    const decoded = decode(text, tokens.data, legend);
    expect(decoded).toEqual(["END: namespace", "@b: variable modification"]);
  });
});
