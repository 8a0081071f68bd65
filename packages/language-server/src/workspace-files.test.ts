import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkspaceFiles } from "./workspace-files.ts";
import { documentSymbols } from "./features/document-symbols.ts";

describe("WorkspaceFiles limits", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "bt-ws-files-"));
    for (const name of ["a", "b", "c"]) writeFileSync(join(folder, `${name}.bt`), `BEGIN { @${name} = 1; }\n`);
    writeFileSync(join(folder, "large.bt"), `BEGIN { @large = 1; }\n${"// padding\n".repeat(20)}`);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("reads at most maxFiles files (in path order), says so once, and skips files above maxFileBytes", async () => {
    const logs: string[] = [];
    const files = new WorkspaceFiles(() => [folder], documentSymbols, (m) => logs.push(m), { maxFiles: 3, maxFileBytes: 100 });
    const names = async () => (await files.outlinesOf("0.27", new Set())).flatMap((f) => f.symbols.map((s) => s.name));
    // a.bt, b.bt, c.bt, large.bt sorted: large.bt is the fourth and left out by the count
    expect(await names()).toEqual(["BEGIN", "@a", "BEGIN", "@b", "BEGIN", "@c"]);
    expect(await names()).toHaveLength(6);
    expect(logs).toEqual([`workspace symbols: 4 .bt files in the workspace; only the first 3 are read`]);

    const bySize = new WorkspaceFiles(() => [folder], documentSymbols, (m) => logs.push(m), { maxFiles: 10, maxFileBytes: 100 });
    const outlines = await bySize.outlinesOf("0.27", new Set());
    expect(outlines.map((o) => o.uri.split("/").pop())).toEqual(["a.bt", "b.bt", "c.bt"]);
  });

  it("a folder that is gone gives no files, not an error", async () => {
    const files = new WorkspaceFiles(() => [join(folder, "missing"), folder], documentSymbols, () => {});
    expect((await files.outlinesOf("0.27", new Set())).map((o) => o.uri.split("/").pop())).toEqual(["a.bt", "b.bt", "c.bt", "large.bt"]);
  });
});
