import type { SymbolInformation } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClient, type TestClient } from "../testing/harness.ts";
import { matchesQuery } from "./workspace-symbols.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

describe("workspace symbols", () => {
  it("finds probes, macros, fns and maps of every open document by a fuzzy query", async () => {
    const a = client.open("a.bt", "macro twice($x) { $x * 2 }\nkprobe:vfs_read { @start_times[tid] = nsecs; }\n");
    const b = client.open("b.bt", "config = { max_map_keys = 10 }\nBEGIN { @starts = 1; }\n");
    await client.diagnostics(b);
    const found = await client.request<SymbolInformation[]>("workspace/symbol", { query: "stt" });
    expect(found.map((s) => [s.name, s.location.uri, s.location.range.start.line, s.kind])).toEqual([
      ["@start_times", a, 1, 13],
      ["@starts", b, 1, 13],
    ]);
    const config = await client.request<SymbolInformation[]>("workspace/symbol", { query: "MAXMAP" });
    expect(config).toEqual([
      { name: "max_map_keys", kind: 7, containerName: "config", location: { uri: b, range: { start: { line: 0, character: 11 }, end: { line: 0, character: 23 } } } },
    ]);
    expect((await client.request<SymbolInformation[]>("workspace/symbol", { query: "" })).length).toBe(7);
  });

  it("subsequence matching", () => {
    expect(matchesQuery("@start_times", "stt")).toBe(true);
    expect(matchesQuery("@start_times", "sx")).toBe(false);
    expect(matchesQuery("kprobe:vfs_read", "KVR")).toBe(true);
  });
});
