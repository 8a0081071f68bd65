import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { SymbolInformation } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClient, type TestClient } from "../testing/harness.ts";
import { matchesQuery } from "./workspace-symbols.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

const summary = (found: SymbolInformation[]) => found.map((s) => [s.name, s.location.uri, s.location.range.start.line, s.kind]);

describe("workspace symbols", () => {
  it("finds probes, macros, fns and maps of every open document by a fuzzy query", async () => {
    const a = client.open("a.bt", "macro twice($x) { $x * 2 }\nkprobe:vfs_read { @start_times[tid] = nsecs; }\n");
    const b = client.open("b.bt", "config = { max_map_keys = 10 }\nBEGIN { @starts = 1; }\n");
    await client.diagnostics(b);
    const found = await client.request<SymbolInformation[]>("workspace/symbol", { query: "stt" });
    expect(summary(found)).toEqual([
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

describe("workspace symbols of files that are not open", () => {
  let folder: string;
  let workspace: TestClient;
  const uriOf = (path: string) => pathToFileURL(join(folder, path)).href;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "bt-ws-symbols-"));
    mkdirSync(join(folder, "tools"));
    mkdirSync(join(folder, "node_modules", "pkg"), { recursive: true });
    writeFileSync(join(folder, "tools", "closed.bt"), "// a tool nobody opened\nmacro ns_to_ms($t) { $t / 1000000 }\nkprobe:vfs_write { @writes[comm] = count(); }\n");
    writeFileSync(join(folder, "open.bt"), "BEGIN { @on_disk = 1; }\n");
    writeFileSync(join(folder, "node_modules", "pkg", "vendored.bt"), "BEGIN { @writes_vendored = 1; }\n");
    writeFileSync(join(folder, "binary.bt"), "BEGIN { @writes_binary = 1; }\u0000\n");
    workspace = await startClient({ settings: { target: "0.27" }, workspaceFolders: [folder] });
  });
  afterAll(async () => {
    await workspace.shutdown();
    rmSync(folder, { recursive: true, force: true });
  });

  it("reads the workspace's .bt files from disk, except node_modules and files with NUL bytes", async () => {
    const found = await workspace.request<SymbolInformation[]>("workspace/symbol", { query: "writes" });
    expect(summary(found)).toEqual([["@writes", uriOf("tools/closed.bt"), 2, 13]]);
    const macro = await workspace.request<SymbolInformation[]>("workspace/symbol", { query: "ns_to" });
    expect(macro).toEqual([
      { name: "ns_to_ms", kind: 12, location: { uri: uriOf("tools/closed.bt"), range: { start: { line: 1, character: 6 }, end: { line: 1, character: 14 } } } },
    ]);
  });

  it("an open document is read from the editor, not from its file", async () => {
    const uri = workspace.open(uriOf("open.bt"), "BEGIN { @in_editor = 1; }\n");
    await workspace.diagnostics(uri);
    const names = (await workspace.request<SymbolInformation[]>("workspace/symbol", { query: "@" })).map((s) => s.name);
    expect(names).toContain("@in_editor");
    expect(names).not.toContain("@on_disk");
    workspace.close(uri);
  });

  it("sees a file changed, added or deleted on disk at the next request", async () => {
    const closed = join(folder, "tools", "closed.bt");
    writeFileSync(closed, "kprobe:vfs_write { @bytes_written = sum(arg2); }\n");
    utimesSync(closed, new Date(), new Date(Date.now() + 5000)); // a new mtime even on a coarse clock
    writeFileSync(join(folder, "added.bt"), "fn helper(): int64 { return 1; }\n");
    const names = (await workspace.request<SymbolInformation[]>("workspace/symbol", { query: "" })).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["@bytes_written", "helper"]));
    expect(names).not.toContain("@writes");
    rmSync(join(folder, "added.bt"));
    const after = (await workspace.request<SymbolInformation[]>("workspace/symbol", { query: "helper" })).map((s) => s.name);
    expect(after).toEqual([]);
  });
});
