import type { FoldingRange } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClient, type TestClient } from "../testing/harness.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

describe("folding ranges", () => {
  it("probes from their attach points, nested blocks, config, comment runs and #include runs; closing lines stay visible", async () => {
    const text = [
      "#include <linux/sched.h>", // 0
      "#include <linux/fs.h>", // 1
      "// What this does:", // 2
      "// counts opens.", // 3
      "config = {", // 4
      "  max_map_keys = 10", // 5
      "}", // 6
      "kprobe:do_sys_open,", // 7
      "kprobe:do_sys_openat2", // 8
      "{", // 9
      "  if (pid > 1) {", // 10
      "    @opens[comm] = count();", // 11
      "  } else {", // 12
      "    @other = count(); // trailing", // 13
      "  }", // 14
      "}", // 15
      "/* a", // 16
      "   block */", // 17
      "BEGIN { @x = 1; }", // 18
    ].join("\n");
    const uri = client.open("fold.bt", text);
    const ranges = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(ranges).toEqual([
      { startLine: 0, endLine: 1, kind: "imports" },
      { startLine: 2, endLine: 3, kind: "comment" },
      { startLine: 4, endLine: 5 },
      { startLine: 7, endLine: 14 },
      { startLine: 9, endLine: 14 },
      { startLine: 10, endLine: 11 },
      { startLine: 12, endLine: 13 },
      { startLine: 16, endLine: 17, kind: "comment" },
    ]);
  });

  it("a broken file still folds the probes the parser recovered", async () => {
    const uri = client.open("broken-fold.bt", "BEGIN {\n  @x = 1 +;\n}\nEND {\n  print(@x);\n}\n");
    const ranges = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(ranges.map((r) => r.startLine)).toEqual([0, 3]);
  });
});
