import type { Hover } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { language as lang } from "@bt/parser";
import { markers, startClient, type TestClient } from "../testing/harness.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.21" } });
});
afterAll(() => client.shutdown());

async function hoverAll(marked: string): Promise<(Hover | null)[]> {
  const { text, positions } = markers(marked);
  const uri = client.open(`hover-${Math.random().toString(36).slice(2)}.bt`, text);
  return Promise.all(positions.map((position) => client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position })));
}

const value = (h: Hover | null) => (h?.contents as { kind: string; value: string } | undefined)?.value ?? "";

describe("hover", () => {
  it("functions: signatures, doc from the language data, the release that added them", async () => {
    const [str, strcontains, hist] = await hoverAll('BEGIN { $s = st<|>r(arg0); if (strcon<|>tains($s, "x")) { @h = hi<|>st(1); } }');
    expect(value(str)).toBe(
      ["```bpftrace", "str(ptr: pointer, len?: int): string", "```", "", lang.findFunction("str")!.doc, "", "_Available in every supported bpftrace release._"].join("\n"),
    );
    expect(str?.range).toEqual({ start: { line: 0, character: 13 }, end: { line: 0, character: 16 } });
    expect(value(strcontains)).toContain(lang.findFunction("strcontains")!.doc);
    expect(value(strcontains)).toMatch(/_Added in bpftrace 0\.17\._$/);
    // Overloads carry their own releases.
    expect(value(hist).split("\n").slice(1, 3)).toEqual(["hist(n: int): aggregation  // removed in 0.20", "hist(n: int, k?: int): aggregation  // since 0.20"]);
  });

  it("builtins, including families like argN", async () => {
    const [pid, arg3] = await hoverAll("kprobe:f { @[pi<|>d] = ar<|>g3; }");
    expect(value(pid).split("\n")[1]).toBe("pid: integer");
    expect(value(pid)).toContain(lang.findBuiltin("pid")!.doc);
    expect(value(arg3).split("\n")[1]).toBe("argN: integer");
    expect(arg3?.range).toEqual({ start: { line: 0, character: 20 }, end: { line: 0, character: 24 } });
  });

  it("probe types by canonical name or alias, with the target's spelling", async () => {
    const [kprobe, alias, begin] = await hoverAll("kp<|>robe:f, k<|>r:g { }\nBE<|>GIN { }");
    expect(value(kprobe).split("\n")[1]).toBe("kprobe:FUNC");
    expect(value(kprobe)).toContain(lang.findProbe("kprobe")!.probe.doc);
    expect(kprobe?.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 8 } });
    expect(value(alias)).toContain(lang.findProbe("kretprobe")!.probe.doc);
    expect(value(begin).split("\n")[1]).toBe("BEGIN");
  });

  it("config keys", async () => {
    const [key] = await hoverAll("config = { max_map_<|>keys = 10 }\nBEGIN { }");
    expect(value(key)).toBe(
      ["```bpftrace", "max_map_keys = int", "```", "", lang.findConfigKey("max_map_keys")!.doc, "", "_Added in bpftrace 0.20._"].join("\n"),
    );
  });

  it("marks what the target release lacks", async () => {
    const [fn] = await hoverAll("BEGIN { $x = has<|>_key(@m, 1); }");
    expect(value(fn)).toMatch(/_Added in bpftrace 0\.22\. \*\*Not available in the target release 0\.21\.\*\*_$/);
  });

  it("maps and variables: where they are defined", async () => {
    const [map, variable, param, loop] = await hoverAll(
      [
        "kprobe:f { @st<|>art[tid] = nsecs; }",
        "kretprobe:f { $d = nsecs - @start[tid]; print($<|>d); delete(@start[tid]); }",
        "fn add($a: int64, $b: int64): int64 { return $<|>a + $b; }",
        "BEGIN { @m[1] = 1; for ($kv : @m) { print($k<|>v); } }",
      ].join("\n"),
    );
    // The type checker's types first, then where the symbol lives.
    expect(value(map)).toBe("```bpftrace\n@start[uint64] : uint64\n```\n\n```bpftrace\n@start (map)\n```\n\nAssigned at line 1; 3 references.");
    expect(map?.range).toEqual({ start: { line: 0, character: 11 }, end: { line: 0, character: 17 } });
    expect(value(variable)).toBe("```bpftrace\n$d : uint64\n```\n\n```bpftrace\n$d (scratch variable of kretprobe:f)\n```\n\nFirst assigned at line 2; 2 references.");
    expect(value(param)).toBe("```bpftrace\n$a : int64\n```\n\n```bpftrace\n$a (scratch variable of fn add)\n```\n\nParameter declared at line 3; 2 references.");
    expect(value(loop)).toBe("```bpftrace\n$kv : (int64,int64)\n```\n\n```bpftrace\n$kv (scratch variable of BEGIN)\n```\n\nLoop variable declared at line 4; 2 references.");
  });

  it("map declarations and user fns/macros", async () => {
    const local = await startClient({ settings: { target: "0.27" } });
    try {
      const { text, positions } = markers("let @m = lruhash(10);\nmacro twice($x) { $x * 2 }\nBEGIN { @<|>m[1] = tw<|>ice(3); }");
      const uri = local.open("decl.bt", text);
      const [map, macro] = await Promise.all(positions.map((position) => local.request<Hover>("textDocument/hover", { textDocument: { uri }, position })));
      expect(value(map)).toBe("```bpftrace\n@m[int8] : int64\n```\n\n```bpftrace\nlet @m = lruhash(10);\n```\n\nMap declared at line 1; 2 references.");
      expect(value(macro)).toBe("```bpftrace\nmacro twice($x)\n```\n\nDefined at line 2.");
    } finally {
      await local.shutdown();
    }
  });

  it("nothing on punctuation, literals and comments", async () => {
    const hovers = await hoverAll('// com<|>ment\nBEGIN { printf("he<|>llo"); $x = 4<|>2; }');
    expect(hovers).toEqual([null, null, null]);
  });
});

describe("hover for plain-text clients", () => {
  it("drops the Markdown syntax when the client does not accept markdown", async () => {
    const plain = await startClient({
      settings: { target: "0.27" },
      capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ["plaintext"] } } },
    });
    try {
      const { text, positions } = markers("config = { max_map_<|>keys = 10 }\nBEGIN { }");
      const uri = plain.open("plain.bt", text);
      const hover = await plain.request<Hover>("textDocument/hover", { textDocument: { uri }, position: positions[0] });
      expect(hover.contents).toEqual({
        kind: "plaintext",
        value: ["max_map_keys = int", "", lang.findConfigKey("max_map_keys")!.doc, "", "Added in bpftrace 0.20."].join("\n"),
      });
    } finally {
      await plain.shutdown();
    }
  });
  it("arg0 in a C++ member function probe: also says it is `this` (language data)", async () => {
    const [member, free] = await hoverAll('uprobe:/bin/app:cpp:"Widget::draw" { @w[ar<|>g0] = 1; }\nuprobe:/bin/app:draw { @v[ar<|>g0] = 1; }');
    const implicit = (lang.UPROBE_LANGUAGES.find((l) => l.name === "cpp") as unknown as { implicitArguments: { doc: string }[] }).implicitArguments[0];
    expect(value(member)).toContain(`**In this probe \`arg0\` is \`this\`.** ${implicit.doc}`);
    expect(value(free)).not.toContain("this");
  });
});
