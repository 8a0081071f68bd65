/** bt-lint --fix and files that are not plain UTF-8: every byte it does not fix is written back as it was. */
import { chmodSync, linkSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSource } from "@bt/parser";
import { main, type Io } from "./main.ts";

/** `delete(@m, pid)` is fixed to `delete(@m[pid])` for 0.17; a Latin-1 string and comment around it. */
const BEFORE = Buffer.concat([
  Buffer.from('BEGIN { @m[1] = 1; printf("caf'),
  Buffer.from([0xe9]),
  Buffer.from('\\n"); // r'),
  Buffer.from([0xe9, 0xff, 0xfe]),
  Buffer.from("sum\n  delete(@m, pid);\n}\n"),
]);
const AFTER = Buffer.from(BEFORE.toString("latin1").replace("delete(@m, pid);", "delete(@m[pid]);"), "latin1");

function lint(args: string[], cwd: string, stdin = "") {
  const out: { stdout: string; stdoutBytes: Buffer[]; stderr: string } = { stdout: "", stdoutBytes: [], stderr: "" };
  const io: Io = {
    stdout: (s) => (out.stdout += s),
    stdoutBytes: (b) => out.stdoutBytes.push(Buffer.from(b)),
    stderr: (s) => (out.stderr += s),
    readStdin: async () => stdin,
    cwd,
    isTTY: false,
  };
  return main(args, io).then((code) => ({ code, ...out }));
}

const fixArgs = ["--fix", "--target", "0.17", "--no-fs", "--format", "json"];

describe("bt-lint --fix keeps bytes, read-only files and hard links", () => {
  it("writes back bytes that are not UTF-8 exactly", async () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-bytes-"));
    writeFileSync(join(d, "a.bt"), BEFORE);
    const r = await lint([...fixArgs, "a.bt"], d);
    expect(r.stderr).toBe("");
    expect(readFileSync(join(d, "a.bt")).equals(AFTER)).toBe(true);
  });

  it("with stdin, prints the fixed text as the same bytes", async () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-bytes-"));
    const r = await lint(["--stdin", "--fix", "--target", "0.17", "--no-fs"], d, decodeSource(BEFORE));
    expect(Buffer.concat(r.stdoutBytes).equals(AFTER)).toBe(true);
  });

  it("refuses a read-only file (exit 2) and leaves it as it was", async () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-bytes-"));
    writeFileSync(join(d, "a.bt"), BEFORE);
    chmodSync(join(d, "a.bt"), 0o444);
    const r = await lint([...fixArgs, "a.bt"], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bt-lint: cannot fix a\.bt: read-only file \(mode 0444\)/);
    expect(readFileSync(join(d, "a.bt")).equals(BEFORE)).toBe(true);
    expect(statSync(join(d, "a.bt")).mode & 0o777).toBe(0o444);
  });

  it("rewrites a hard-linked file in place: every name sees the fix", async () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-bytes-"));
    writeFileSync(join(d, "a.bt"), BEFORE);
    linkSync(join(d, "a.bt"), join(d, "b.bt"));
    const r = await lint([...fixArgs, "a.bt"], d);
    expect(r.code).toBe(0);
    expect(statSync(join(d, "a.bt")).ino).toBe(statSync(join(d, "b.bt")).ino);
    expect(readFileSync(join(d, "b.bt")).equals(AFTER)).toBe(true);
  });

  it("reports a byte-order mark as an error at 1:1, like bt-parse and bt-fmt", async () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-bytes-"));
    writeFileSync(join(d, "bom.bt"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('BEGIN { printf("hi\\n"); }\n')]));
    const r = await lint(["--format", "json", "--no-fs", "bom.bt"], d);
    expect(r.code).toBe(1);
    const errors = JSON.parse(r.stdout)[0].findings.filter((f: { severity: string }) => f.severity === "error");
    expect(errors.map((f: { line: number; column: number; message: string }) => [f.line, f.column, /byte-order mark/.test(f.message)])).toEqual([[1, 1, true]]);
  });
});
