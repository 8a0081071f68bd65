/**
 * bt-parse end to end: builds the bundle (scripts/build.mjs) and runs
 * `node dist/bt-parse.js` on real files, asserting exact output and exit codes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, RELEASES, type Diagnostic, type Release } from "./index.ts";
import pkg from "../package.json" with { type: "json" };

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(pkgDir, "dist/bt-parse.js");
const shim = join(pkgDir, "bin/bt-parse.js");
let dir: string;

function cli(args: string[], opts: { input?: string | Buffer; bin?: string } = {}) {
  const r = spawnSync(process.execPath, [opts.bin ?? bundle, ...args], {
    cwd: dir,
    input: opts.input ?? "",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return name;
}

const sorted = (ds: Diagnostic[]) => [...ds].sort((a, b) => a.range.start.offset - b.range.start.offset);

/** What bt-parse must print for `text` (from the in-process parser, formatted per the CLI contract). */
function expectedText(shown: string, text: string, target: Release = "0.27"): string {
  return sorted(parse(text, { target }).diagnostics)
    .map((d) => `${shown}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message.replace(/\r?\n/g, " ")}\n`)
    .join("");
}

const hasError = (text: string, target: Release = "0.27") => parse(text, { target }).diagnostics.some((d) => d.severity === "error");

const VALID = `#!/usr/bin/env bpftrace
// count reads per process
kprobe:vfs_read /pid != 0/ {
  @reads[comm] = count();
}
END { print(@reads); clear(@reads); }
`;
const INVALID = `BEGIN {
  $x = ;
  printf("%d\\n", $x)
}
kprobe:f { @a[1 = 2; }
`;
// Accepted by bpftrace 0.27, rejected by 0.17 and 0.23 (verified with the real releases: paren-less if).
const NEWER = `BEGIN { $x = 1; if $x { printf("yes\\n"); } }\n`;

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(pkgDir, "scripts/build.mjs")], { encoding: "utf8" });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  dir = mkdtempSync(join(tmpdir(), "bt-parse-cli-"));
}, 120_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe("bt-parse", () => {
  it("the fixtures behave as the tests assume", () => {
    expect(hasError(VALID)).toBe(false);
    expect(hasError(INVALID)).toBe(true);
    expect(hasError(NEWER, "0.27")).toBe(false);
    expect(hasError(NEWER, "0.17")).toBe(true);
  });

  it("prints nothing and exits 0 for a valid program", () => {
    file("ok.bt", VALID);
    expect(cli(["ok.bt"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("runs through the bin shim", () => {
    file("ok.bt", VALID);
    expect(cli(["ok.bt"], { bin: shim })).toEqual({ code: 0, stdout: "", stderr: "" });
    file("bad.bt", INVALID);
    expect(cli(["bad.bt"], { bin: shim }).code).toBe(1);
  });

  it("prints file:line:col: severity: message and exits 1 on errors", () => {
    file("sub/bad.bt", INVALID);
    const r = cli(["sub/bad.bt"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expectedText("sub/bad.bt", INVALID));
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^sub\/bad\.bt:\d+:\d+: (error|warning|info): \S.*$/);
    // The first problem is on line 2 (`$x = ;`).
    expect(lines[0]).toMatch(/^sub\/bad\.bt:2:\d+: error: /);
  });

  it("handles several files in order; the exit status reflects any error", () => {
    file("ok.bt", VALID);
    file("bad.bt", INVALID);
    const r = cli(["ok.bt", "bad.bt", "ok.bt"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(expectedText("bad.bt", INVALID));
  });

  it("reads standard input for -", () => {
    const r = cli(["-"], { input: INVALID });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(expectedText("<stdin>", INVALID));
    expect(cli(["-"], { input: VALID })).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--target selects the release", () => {
    file("newer.bt", NEWER);
    expect(cli(["newer.bt"]).code).toBe(0);
    expect(cli(["--target", "0.27", "newer.bt"]).code).toBe(0);
    const old = cli(["--target", "0.17", "newer.bt"]);
    expect(old.code).toBe(1);
    expect(old.stdout).toBe(expectedText("newer.bt", NEWER, "0.17"));
    expect(cli(["-t", "0.23.2", "newer.bt"]).stdout).toBe(expectedText("newer.bt", NEWER, "0.23"));
    expect(cli(["--target=v0.17.0", "newer.bt"]).code).toBe(1);
  });

  it("--json prints one object per file per line", () => {
    file("ok.bt", VALID);
    file("bad.bt", INVALID);
    const r = cli(["--json", "ok.bt", "bad.bt", "-"], { input: VALID });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(3);
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs.map((o) => Object.keys(o))).toEqual(Array(3).fill(["file", "target", "ok", "diagnostics", "ast"]));
    expect(objs.map((o) => [o.file, o.target, o.ok])).toEqual([
      ["ok.bt", "0.27", true],
      ["bad.bt", "0.27", false],
      ["-", "0.27", true],
    ]);
    expect(objs[0].diagnostics.filter((d: { severity: string }) => d.severity === "error")).toEqual([]);
    expect(objs[1].diagnostics).toEqual(
      sorted(parse(INVALID, { target: "0.27" }).diagnostics).map((d) => ({
        severity: d.severity,
        message: d.message,
        line: d.range.start.line,
        column: d.range.start.column,
        endLine: d.range.end.line,
        endColumn: d.range.end.column,
      })),
    );
    // The AST is the parser's, serialised.
    expect(objs[0].ast).toEqual(JSON.parse(JSON.stringify(parse(VALID, { target: "0.27" }).ast)));
    expect(objs[0].ast.type).toBe("Program");
    expect(objs[0].ast.shebang?.text).toBe("#!/usr/bin/env bpftrace");
  });

  it("--json reports the target it checked against", () => {
    file("newer.bt", NEWER);
    const o = JSON.parse(cli(["--json", "--target", "0.17", "newer.bt"]).stdout);
    expect([o.target, o.ok]).toEqual(["0.17", false]);
    expect(o.diagnostics[0].line).toBe(1);
  });

  describe("usage errors and unreadable files exit 2 with one clear line", () => {
    const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |Error:|node:internal/);

    it("missing file", () => {
      const r = cli(["missing.bt"]);
      expect(r).toEqual({ code: 2, stdout: "", stderr: "bt-parse: missing.bt: cannot read: no such file\n" });
    });

    it("directory", () => {
      mkdirSync(join(dir, "adir"), { recursive: true });
      expect(cli(["adir"])).toEqual({ code: 2, stdout: "", stderr: "bt-parse: adir: cannot read: is a directory\n" });
    });

    it("an unreadable file among good ones: the others are still checked", () => {
      file("bad.bt", INVALID);
      const r = cli(["missing.bt", "bad.bt"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("bt-parse: missing.bt: cannot read: no such file\n");
      expect(r.stdout).toBe(expectedText("bad.bt", INVALID));
    });

    it("unknown target", () => {
      file("ok.bt", VALID);
      for (const t of ["9.9", "0.15", "latest", "0.27x"]) {
        expect(cli(["--target", t, "ok.bt"])).toEqual({
          code: 2,
          stdout: "",
          stderr: `bt-parse: unknown --target '${t}' (known: ${RELEASES.join(", ")})\n`,
        });
      }
    });

    it("no files", () => {
      const r = cli([]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("error: missing required argument 'file'\n");
    });

    it("unknown option", () => {
      const r = cli(["--frobnicate", "x.bt"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("error: unknown option '--frobnicate'\n");
      noStack(r.stderr);
    });

    it("option without its value", () => {
      const r = cli(["ok.bt", "--target"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("error: option '-t, --target <version>' argument missing\n");
    });

    it("a file over the size limit is refused without being read", () => {
      const p = join(dir, "huge.bt");
      closeSync(openSync(p, "w"));
      truncateSync(p, 300 * 1024 * 1024); // sparse
      expect(cli(["huge.bt"])).toEqual({
        code: 2,
        stdout: "",
        stderr: "bt-parse: huge.bt: input larger than 256 MiB, refusing to parse\n",
      });
      rmSync(p);
    });
  });

  it("--help and --version exit 0", () => {
    const h = cli(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: bt-parse \[options\] <file\.\.\.>\n/);
    expect(h.stdout).toContain("--target <version>");
    expect(h.stdout).toContain("--json");
    expect(cli(["--version"])).toEqual({ code: 0, stdout: `bt-parse ${pkg.version}\n`, stderr: "" });
  });

  describe("hostile input never crashes", () => {
    it("binary garbage and invalid UTF-8", () => {
      const bytes = Buffer.alloc(64 * 1024);
      let x = 2463534242;
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      file("garbage.bin", bytes);
      file("badutf8.bt", Buffer.concat([Buffer.from("BEGIN { printf(\""), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00]), Buffer.from("\"); }\n")]));
      for (const f of ["garbage.bin", "badutf8.bt"]) {
        const r = cli([f]);
        expect([0, 1]).toContain(r.code);
        expect(r.stderr).toBe("");
        for (const l of r.stdout.trimEnd().split("\n").filter(Boolean)) {
          expect(l.startsWith(`${f}:`)).toBe(true);
        }
        const j = cli(["--json", f]);
        expect([0, 1]).toContain(j.code);
        expect(JSON.parse(j.stdout).file).toBe(f);
      }
      // Same bytes through stdin.
      const s = cli(["-"], { input: bytes });
      expect([0, 1]).toContain(s.code);
      expect(s.stderr).toBe("");
    });

    it("an empty file and a byte-order mark", () => {
      file("empty.bt", "");
      expect(cli(["empty.bt"])).toEqual({ code: 0, stdout: "", stderr: "" });
      file("bom.bt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]));
      // bpftrace rejects the mark, so every tool reports it (one error at 1:1); the program after it still parses.
      const r = cli(["--json", "bom.bt"]);
      expect(r.code).toBe(1);
      const json = JSON.parse(r.stdout);
      expect(json.diagnostics).toEqual([expect.objectContaining({ severity: "error", line: 1, column: 1, message: expect.stringMatching(/byte-order mark/) })]);
      expect(json.ast.body.map((n: { type: string }) => n.type)).toEqual(parse(VALID, { target: "0.27" }).ast.body.map((n) => n.type));
    });

    it("a large valid file (≈5 MB)", () => {
      const unit = "kprobe:vfs_read { @[comm] = count(); }\n";
      file("large.bt", unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length)));
      expect(cli(["large.bt"])).toEqual({ code: 0, stdout: "", stderr: "" });
    }, 120_000);
  });
});
