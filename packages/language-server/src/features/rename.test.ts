import type { WorkspaceEdit } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_CAPABILITIES, markers, startClient, type TestClient } from "../testing/harness.ts";

/** Rename of maps and scratch variables over the protocol, with prepareRename. */

let client: TestClient;
beforeAll(async () => {
  client = await startClient({
    settings: { target: "0.27" },
    capabilities: { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, rename: { prepareSupport: true } } },
  });
});
afterAll(() => client.shutdown());

let n = 0;
function open(marked: string) {
  const { text, positions } = markers(marked);
  return { uri: client.open(`rename-${n++}.bt`, text), position: positions[0] };
}
const r = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
const edits = (uri: string, newText: string, ranges: ReturnType<typeof r>[]): WorkspaceEdit => ({ changes: { [uri]: ranges.map((range) => ({ range, newText })) } });

const rename = (uri: string, position: { line: number; character: number }, newName: string) =>
  client.request<WorkspaceEdit | null>("textDocument/rename", { textDocument: { uri }, position, newName });
const prepare = (uri: string, position: { line: number; character: number }) => client.request("textDocument/prepareRename", { textDocument: { uri }, position });

const LATENCY = [
  "kprobe:f { @start[tid] = nsecs; $x = 1; print($x); }",
  "kretprobe:f /@start[tid]/ { $<|>x = nsecs - @st<|>art[tid]; @lat = hist($x); delete(@start, tid); }",
].join("\n");

describe("rename", () => {
  it("announces prepareRename to clients that support it", () => {
    expect(client.initializeResult.capabilities.renameProvider).toEqual({ prepareProvider: true });
  });

  it("a map: every occurrence in the file (assignments, predicate, reads, delete)", async () => {
    const { text, positions } = markers(LATENCY);
    const uri = client.open(`rename-${n++}.bt`, text);
    expect(await prepare(uri, positions[1])).toEqual({ range: r(1, 41, 47), placeholder: "@start" });
    expect(await rename(uri, positions[1], "@t0")).toEqual(edits(uri, "@t0", [r(0, 11, 17), r(1, 13, 19), r(1, 41, 47), r(1, 78, 84)]));
  });

  it("a scratch variable: only in its probe; the sigil may be left out", async () => {
    const { text, positions } = markers(LATENCY);
    const uri = client.open(`rename-${n++}.bt`, text);
    expect(await prepare(uri, positions[0])).toEqual({ range: r(1, 28, 30), placeholder: "$x" });
    // Not the $x of the kprobe (line 0).
    expect(await rename(uri, positions[0], "delta")).toEqual(edits(uri, "$delta", [r(1, 28, 30), r(1, 66, 68)]));
  });

  it("a `let` variable in a block: not the same-named variable outside it", async () => {
    const { uri, position } = open("BEGIN { $y = 1; if (1) { let $y = 2; print($<|>y); } print($y); }");
    expect(await rename(uri, position, "$z")).toEqual(edits(uri, "$z", [r(0, 29, 31), r(0, 43, 45)]));
  });

  it("refuses names that would merge two symbols, invalid names and the wrong sigil", async () => {
    const vars = open("BEGIN { $a = 1; $b = 2; print($<|>a + $b); }");
    await expect(rename(vars.uri, vars.position, "$b")).rejects.toMatchObject({ code: -32803, message: "`$b` is already used in this scope (line 1)." });
    await expect(rename(vars.uri, vars.position, "$1a")).rejects.toMatchObject({ code: -32803, message: "`$1a` is not a valid scratch variable name." });
    const maps = open("BEGIN { @a = 1; @b = 2; print(@<|>a); }");
    await expect(rename(maps.uri, maps.position, "@b")).rejects.toMatchObject({ code: -32803, message: "`@b` already exists (line 1)." });
    await expect(rename(maps.uri, maps.position, "$a")).rejects.toMatchObject({ code: -32803, message: "`@a` is a map: its name must start with `@`." });
    // The same name in another probe is no conflict.
    const probes = open("BEGIN { $a = 1; print($<|>a); } END { $b = 2; print($b); }");
    expect(await rename(probes.uri, probes.position, "$b")).toEqual(edits(probes.uri, "$b", [r(0, 8, 10), r(0, 22, 24)]));
  });

  it("a macro: its definition and every call, from either", async () => {
    const text = "macro tw<|>ice($x) { $x * 2 }\nBEGIN { @a = twice(1); @b = tw<|>ice(twice(2)); }";
    const { text: plain, positions } = markers(text);
    const uri = client.open(`rename-${n++}.bt`, plain);
    expect(await prepare(uri, positions[1])).toEqual({ range: r(1, 28, 33), placeholder: "twice" });
    const expected = edits(uri, "double", [r(0, 6, 11), r(1, 13, 18), r(1, 28, 33), r(1, 34, 39)]);
    expect(await rename(uri, positions[0], "double")).toEqual(expected);
    expect(await rename(uri, positions[1], "double")).toEqual(expected);
  });

  it("a fn; refused onto another callable, a builtin function or an invalid name", async () => {
    const { uri, position } = open("fn in<|>c($a: int64): int64 { return $a + 1; }\nmacro m() { 1 }\nBEGIN { print(inc(1)); }");
    expect(await rename(uri, position, "next")).toEqual(edits(uri, "next", [r(0, 3, 6), r(2, 14, 17)]));
    await expect(rename(uri, position, "m")).rejects.toMatchObject({ code: -32803, message: "`m` already exists (line 2)." });
    await expect(rename(uri, position, "count")).rejects.toMatchObject({ code: -32803, message: "`count` is a bpftrace builtin: calls would stop reaching this fn." });
    await expect(rename(uri, position, "1x")).rejects.toMatchObject({ code: -32803, message: "`1x` is not a valid fn name." });
  });

  it("nothing to rename on builtins, keywords or literals", async () => {
    const { uri, position } = open("BEGIN { print(nse<|>cs); }");
    expect(await prepare(uri, position)).toBeNull();
    expect(await rename(uri, position, "$a")).toBeNull();
  });
});

describe("rename without prepareSupport", () => {
  it("announces a plain renameProvider", async () => {
    const plain = await startClient({ settings: { target: "0.27" } });
    try {
      expect(plain.initializeResult.capabilities.renameProvider).toBe(true);
    } finally {
      await plain.shutdown();
    }
  });
});

describe("rename follows the target release's scoping (the semantic model's)", () => {
  it("a variable first assigned in a block is the probe's before 0.22 and the block's from 0.22", async () => {
    const text = "BEGIN { if (1) { $<|>x = 1; } else { $x = 2; } }";
    const { text: plain, positions } = markers(text);
    const old = await startClient({ settings: { target: "0.21" } });
    try {
      const uri = old.open("scoping-old.bt", plain);
      const edit = await old.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri }, position: positions[0], newName: "$y" });
      expect(edit).toEqual(edits(uri, "$y", [r(0, 17, 19), r(0, 34, 36)]));
    } finally {
      await old.shutdown();
    }
    const uri = client.open(`rename-${n++}.bt`, plain);
    expect(await rename(uri, positions[0], "$y")).toEqual(edits(uri, "$y", [r(0, 17, 19)]));
  });

  it("a macro's variables stay in the macro", async () => {
    const { uri, position } = open("macro add($a) { $t = $a + 1; $<|>t }\nBEGIN { $t = 1; print(add(2) + $t); }");
    expect(await rename(uri, position, "$u")).toEqual(edits(uri, "$u", [r(0, 16, 18), r(0, 29, 31)]));
  });
});
