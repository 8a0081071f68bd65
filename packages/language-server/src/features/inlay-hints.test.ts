import type { InlayHint } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markers, startClient, type TestClient } from "../testing/harness.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

async function hints(text: string): Promise<{ at: string; label: string; kind?: number }[]> {
  const uri = client.open(`hints-${Math.random()}.bt`, text);
  const found = await client.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri }, range: whole });
  const lines = text.split("\n");
  return found.map((h) => ({ at: lines[h.position.line].slice(0, h.position.character), label: h.label as string, kind: h.kind }));
}

describe("inlay hints", () => {
  it("`this` beside arg0 in a C++ member function probe, with the language data's explanation", async () => {
    const text = 'uprobe:/bin/app:cpp:"Widget::draw" { @w[arg0] = arg1; }\n';
    const uri = client.open("cpp.bt", text);
    const found = await client.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri }, range: whole });
    const cursor = markers('uprobe:/bin/app:cpp:"Widget::draw" { @w[arg0<|>] = arg1; }').positions[0];
    expect(found).toEqual([
      {
        position: cursor,
        label: "this",
        kind: 1,
        paddingLeft: true,
        tooltip: { kind: "markdown", value: expect.stringContaining("the Itanium C++ ABI passes the object pointer") },
      },
    ]);
  });

  it("no `this` for a C probe, a free C++ function, or when another attach point disagrees", async () => {
    expect(await hints("uprobe:/bin/app:draw { @w[arg0] = 1; }\n")).toEqual([]);
    expect(await hints("uprobe:/bin/app:cpp:draw { @w[arg0] = 1; }\n")).toEqual([]);
    expect(await hints('uprobe:/bin/app:cpp:"W::draw", uprobe:/bin/app:draw { @w[arg0] = 1; }\n')).toEqual([]);
  });

  it("parameter names in calls of builtin functions, macros and fns; none where the argument says it", async () => {
    const text = [
      "macro scale($value, $factor) { $value * $factor }",
      "fn clamp($n: int64, $max: int64): int64 { return $n > $max ? $max : $n; }",
      "BEGIN { $factor = 2; @h = lhist(5, 0, 100, 10); @s = scale(3, $factor); @c = clamp(7, 5); }",
    ].join("\n");
    expect(await hints(text)).toEqual([
      { at: "BEGIN { $factor = 2; @h = lhist(", label: "n:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, ", label: "min:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, 0, ", label: "max:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, 0, 100, ", label: "step:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, 0, 100, 10); @s = scale(", label: "$value:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, 0, 100, 10); @s = scale(3, $factor); @c = clamp(", label: "$n:", kind: 2 },
      { at: "BEGIN { $factor = 2; @h = lhist(5, 0, 100, 10); @s = scale(3, $factor); @c = clamp(7, ", label: "$max:", kind: 2 },
    ]);
  });

  it("only the hints inside the requested range", async () => {
    const text = "BEGIN { @a = lhist(1, 0, 10, 1); }\nEND { @b = lhist(2, 0, 10, 1); }\n";
    const uri = client.open("range.bt", text);
    const found = await client.request<InlayHint[]>("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 40 } },
    });
    expect(found.map((h) => h.position.line)).toEqual([1, 1, 1, 1]);
  });
});
