import type { DocumentHighlight, Location } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markers, startClient, type TestClient } from "../testing/harness.ts";

/** Definition, references and document highlight share one resolver (navigation.ts). */

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

let n = 0;
function open(marked: string) {
  const { text, positions } = markers(marked);
  return { uri: client.open(`nav-${n++}.bt`, text), positions };
}
const r = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

const PROGRAM = [
  "kprobe:f { @start[tid] = nsecs; $x = 1; print($x); }", // 0
  "kretprobe:f /@start[tid]/ { $x = nsecs - @st<|>art[tid]; @lat = hist($<|>x); delete(@start[tid]); }", // 1
  "macro twice($v) { $v * 2 }", // 2
  "END { print(tw<|>ice(2)); }", // 3
].join("\n");

describe("definition", () => {
  it("maps: the assignments; variables: their first assignment in the same probe; macros: the name", async () => {
    const { uri, positions } = open(PROGRAM);
    const [map, variable, macro] = await Promise.all(
      positions.map((position) => client.request<Location[]>("textDocument/definition", { textDocument: { uri }, position })),
    );
    expect(map).toEqual([{ uri, range: r(0, 11, 17) }]);
    // Not the $x of the first probe: variables are per probe.
    expect(variable).toEqual([{ uri, range: r(1, 28, 30) }]);
    expect(macro).toEqual([{ uri, range: r(2, 6, 11) }]);
  });

  it("a declared map goes to its `let` declaration; let-scoped variables to their let", async () => {
    const { uri, positions } = open("let @m = hash(10);\nBEGIN { @m[1] = 1; if (1) { let $y = 2; print($<|>y); } print(@<|>m); }");
    const [variable, map] = await Promise.all(
      positions.map((position) => client.request<Location[]>("textDocument/definition", { textDocument: { uri }, position })),
    );
    expect(variable).toEqual([{ uri, range: r(1, 32, 34) }]);
    expect(map).toEqual([{ uri, range: r(0, 4, 6) }]);
  });

  it("null where there is nothing to go to", async () => {
    const { uri, positions } = open("BEGIN { printf(<|>\"x\"); }");
    expect(await client.request("textDocument/definition", { textDocument: { uri }, position: positions[0] })).toBeNull();
  });
});

describe("references", () => {
  it("every occurrence of a map, with or without its definitions", async () => {
    const { uri, positions } = open(PROGRAM);
    const all = await client.request<Location[]>("textDocument/references", { textDocument: { uri }, position: positions[0], context: { includeDeclaration: true } });
    expect(all.map((l) => l.range)).toEqual([r(0, 11, 17), r(1, 13, 19), r(1, 41, 47), r(1, 78, 84)]);
    const uses = await client.request<Location[]>("textDocument/references", { textDocument: { uri }, position: positions[0], context: { includeDeclaration: false } });
    expect(uses.map((l) => l.range)).toEqual([r(1, 13, 19), r(1, 41, 47), r(1, 78, 84)]);
  });

  it("macro uses", async () => {
    const { uri, positions } = open(PROGRAM);
    const refs = await client.request<Location[]>("textDocument/references", { textDocument: { uri }, position: positions[2], context: { includeDeclaration: true } });
    expect(refs).toEqual([
      { uri, range: r(2, 6, 11) },
      { uri, range: r(3, 12, 17) },
    ]);
  });
});

describe("document highlight", () => {
  it("reads and writes of a variable in its scope only", async () => {
    const { uri, positions } = open(PROGRAM);
    const highlights = await client.request<DocumentHighlight[]>("textDocument/documentHighlight", { textDocument: { uri }, position: positions[1] });
    expect(highlights).toEqual([
      { range: r(1, 28, 30), kind: 3 },
      { range: r(1, 66, 68), kind: 2 },
    ]);
  });

  it("map element stores count as writes", async () => {
    const { uri, positions } = open("BEGIN { @c[1] = 1; @c[2]++; print(@<|>c); }");
    const highlights = await client.request<DocumentHighlight[]>("textDocument/documentHighlight", { textDocument: { uri }, position: positions[0] });
    expect(highlights.map((h) => h.kind)).toEqual([3, 3, 2]);
  });
});
