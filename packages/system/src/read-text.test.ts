import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "./read-text.ts";
import { tempDir } from "./test-dirs.ts";

function linesOf(path: string): { lines: string[]; outcome: ReturnType<typeof readLines> } {
  const lines: string[] = [];
  const outcome = readLines(path, (line) => lines.push(line));
  return { lines, outcome };
}

describe("readLines", () => {
  it("gives every line whole, also those split across its 64 KB reads, and a last line without a newline", () => {
    const dir = tempDir("read-lines");
    const path = join(dir, "kallsyms");
    // 3,000 lines of 40 bytes: reads end inside lines.
    const written = Array.from({ length: 3000 }, (_, i) => `ffffffff${String(i).padStart(8, "0")} T function_${String(i).padStart(14, "0")}`);
    writeFileSync(path, `${written.join("\n")}\n\xe9t\xe9`, "latin1");
    const { lines, outcome } = linesOf(path);
    expect(outcome).toEqual({ ok: true });
    expect(lines.length).toBe(3001);
    expect(lines.slice(0, 3000)).toEqual(written);
    expect(lines[3000]).toBe("\xe9t\xe9");
  });

  it("gives no line for an empty file, and an empty line between two newlines", () => {
    const dir = tempDir("read-lines");
    writeFileSync(join(dir, "empty"), "");
    writeFileSync(join(dir, "blank"), "a\n\nb\n");
    expect(linesOf(join(dir, "empty")).lines).toEqual([]);
    expect(linesOf(join(dir, "blank")).lines).toEqual(["a", "", "b"]);
  });

  it("turns a missing file into a reason", () => {
    const path = join(tempDir("read-lines"), "absent");
    expect(linesOf(path)).toEqual({ lines: [], outcome: { ok: false, reason: `${path}: ENOENT` } });
  });
});
