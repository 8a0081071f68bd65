import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mappedFiles } from "./process.ts";
import { tempDir } from "./test-dirs.ts";

describe("mappedFiles", () => {
  it("lists the ELF files of a maps file once each, leaving out deleted files, anonymous maps and other files", () => {
    const root = tempDir("proc");
    mkdirSync(join(root, "7"));
    const node = realpathSync(process.execPath);
    const text = join(root, "notes.txt");
    writeFileSync(text, "not ELF");
    writeFileSync(
      join(root, "7", "maps"),
      [
        `00400000-00401000 r--p 00000000 fe:00 1234 ${node}`,
        `00401000-00402000 r-xp 00001000 fe:00 1234 ${node}`,
        "00403000-00404000 rw-p 00000000 00:00 0 [heap]",
        "00405000-00406000 r--p 00000000 00:00 0",
        `00407000-00408000 r--p 00000000 fe:00 99 ${text}`,
        "00409000-0040a000 r-xp 00000000 fe:00 98 /usr/lib/gone.so (deleted)",
      ].join("\n"),
    );
    expect(mappedFiles(7, root)).toEqual({ ok: true, paths: [node] });
    expect(mappedFiles(8, root)).toEqual({ ok: false, reason: `${root}/8/maps: ENOENT (no such process, or not allowed)` });
  });
  it("reads this process: node itself and its C library", () => {
    const r = mappedFiles(process.pid);
    expect(r.ok && r.paths[0]).toBe(realpathSync(process.execPath));
    expect(r.ok && r.paths.some((p) => /\/libc\.so\.6$/.test(p))).toBe(true);
  });
});
