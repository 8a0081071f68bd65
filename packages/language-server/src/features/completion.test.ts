import type { CompletionItem, CompletionList } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableIn, language as lang } from "@bt/parser";
import { markers, startClient, type TestClient } from "../testing/harness.ts";

const clients = new Map<string, TestClient>();
beforeAll(async () => {
  for (const target of ["0.21", "0.23", "0.27"]) clients.set(target, await startClient({ settings: { target } }));
});
afterAll(async () => {
  for (const c of clients.values()) await c.shutdown();
});

let n = 0;
async function complete(marked: string, target = "0.27"): Promise<CompletionItem[]> {
  const client = clients.get(target)!;
  const { text, positions } = markers(marked);
  const uri = client.open(`complete-${n++}.bt`, text);
  const result = await client.request<CompletionItem[] | CompletionList | null>("textDocument/completion", { textDocument: { uri }, position: positions[0] });
  return Array.isArray(result) ? result : (result?.items ?? []);
}
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe("completion", () => {
  it("probe types where an attach point starts, spelled as the target spells them", async () => {
    for (const target of ["0.21", "0.27"]) {
      const items = await complete("BEGIN { }\nk<|>", target);
      const expected = lang.PROBES.filter((p) => availableIn(target, p.since, p.removed)).map((p) => lang.canonicalProbeName(p, target));
      expect(labels(items)).toEqual([...expected, "config", "macro", "fn", "import"]);
      expect(items[0].textEdit).toEqual({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, newText: items[0].label });
    }
    expect(labels(await complete("<|>", "0.21"))).toContain("kfunc");
    expect(labels(await complete("<|>", "0.21"))).not.toContain("fentry");
    expect(labels(await complete("<|>", "0.27"))).toContain("fentry");
    expect(labels(await complete("<|>", "0.27"))).toContain("begin");
    expect(labels(await complete("<|>", "0.23"))).toContain("BEGIN");
  });

  it("after a comma between attach points too, but not inside the attach point's arguments", async () => {
    expect(labels(await complete("kprobe:f, kr<|> { }"))).toContain("kretprobe");
    expect(await complete("kprobe:do_<|> { }")).toEqual([]);
  });

  it("builtins, functions (with signatures), user macros and keywords inside a body", async () => {
    const items = await complete("macro twice($x) { $x * 2 }\nBEGIN { pr<|> }");
    const printf = items.find((i) => i.label === "printf")!;
    expect(printf).toMatchObject({ kind: 3, detail: lang.FUNCTIONS.find((f) => f.name === "printf") && expect.stringMatching(/^printf\(fmt: format/) });
    expect(items.find((i) => i.label === "pid")).toMatchObject({ kind: 21 });
    expect(items.find((i) => i.label === "twice")).toMatchObject({ kind: 3, detail: "macro twice($x)" });
    expect(items.find((i) => i.label === "if")).toMatchObject({ kind: 14 });
    expect(labels(items)).not.toContain("kprobe");
    expect(labels(items)).not.toContain("argN"); // families are not names
  });

  it("leaves out what the target release lacks", async () => {
    expect(labels(await complete("BEGIN { <|> }", "0.21"))).not.toContain("has_key");
    expect(labels(await complete("BEGIN { <|> }", "0.23"))).toContain("has_key");
  });

  it("maps after @, replacing the sigil too", async () => {
    const items = await complete("BEGIN { @a = 1; @bee[1] = 2; }\nEND { print(@<|>) }");
    expect(items).toEqual([
      { label: "@a", kind: 6, detail: "map", textEdit: { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 13 } }, newText: "@a" } },
      { label: "@bee", kind: 6, detail: "map", textEdit: { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 13 } }, newText: "@bee" } },
    ]);
  });

  it("only the scratch variables in scope after $", async () => {
    const text = [
      "kprobe:f { $a = 1; $b = 2; }",
      "kprobe:g { $c = 1; if ($c) { let $inner = 2; print($<|>); } }",
    ].join("\n");
    expect(labels(await complete(text))).toEqual(["$inner", "$c"]);
    expect(labels(await complete("fn f($p: int64): int64 { return $<|>; }\nBEGIN { $q = 1; }"))).toEqual(["$p"]);
  });

  it("config keys inside config = { }", async () => {
    const items = await complete("config = { max<|> }\nBEGIN { }", "0.23");
    expect(labels(items)).toEqual(lang.configKeysIn("0.23").map((c) => c.name));
    const envOnly = lang.CONFIG_KEYS.find((c) => c.envOnly && availableIn("0.23", c.since, c.removed))!;
    expect(labels(items)).not.toContain(envOnly.name);
  });

  it("nothing in comments, strings, or after . and ->", async () => {
    expect(await complete("// pr<|>\nBEGIN { }")).toEqual([]);
    expect(await complete('BEGIN { printf("pr<|>"); }')).toEqual([]);
    expect(await complete("kprobe:f { $t = (struct task_struct *)curtask; $t-><|> }")).toEqual([]);
  });
});

describe("completion details", () => {
  it("function detail is the first overload the target accepts", async () => {
    const hist21 = (await complete("BEGIN { @h = h<|> }", "0.21")).find((i) => i.label === "hist")!;
    expect(hist21.detail).toBe("hist(n: int, k?: int): aggregation  // since 0.20");
    const doc = (hist21.documentation as { value: string }).value;
    expect(doc).not.toContain("removed in 0.20");
  });
  it("offers only what the probe under the cursor allows (language data), for the target release", async () => {
    const inTracepoint = labels(await complete("tracepoint:syscalls:sys_enter_openat { @[comm] = count(); $x = <|> }"));
    expect(inTracepoint).not.toContain("retval");
    expect(inTracepoint).not.toContain("ctx");
    expect(inTracepoint).toContain("args");
    expect(inTracepoint).toContain("comm");
    const expected = lang.BUILTINS.filter(
      (b) => !b.pattern && !b.patterns && !b.positional && availableIn("0.27", b.since, b.removed) && lang.builtinAllowedIn(b, "tracepoint"),
    ).map((b) => b.name);
    expect(inTracepoint.filter((l) => lang.findBuiltin(l) && !lang.findFunction(l))).toEqual(expected.filter((name) => !lang.findFunction(name)));
    const inReturn = labels(await complete("kretprobe:vfs_read { $x = <|> }"));
    expect(inReturn).toContain("retval");
    expect(inReturn).toContain("ctx");
    // Each attach point must allow it.
    expect(labels(await complete("kretprobe:vfs_read, kprobe:vfs_write { $x = <|> }"))).not.toContain("retval");
  });
});
