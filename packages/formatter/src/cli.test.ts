/** bt-fmt as a whole process (the built bundle, dist/bt-fmt.js; `npm run build` first). */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_NESTING } from "@bt/parser";

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(PKG, "dist/bt-fmt.js");
const REPO = resolve(PKG, "../..");
const PRETTIER = join(REPO, "node_modules/prettier/bin/prettier.cjs");

const UGLY = 'begin{printf("hi\\n");}\n';
const PRETTY = 'begin\n{\n  printf("hi\\n");\n}\n';
const BROKEN = "begin { printf(\"x\" }\n";

function run(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; cli?: string } = {}) {
  const r = spawnSync(process.execPath, [opts.cli ?? CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? "",
    encoding: "utf8",
    env: opts.env ?? process.env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), "bt-fmt-cli-"));
});

function fresh(files: Record<string, string>): string {
  const d = mkdtempSync(join(dir, "case-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

describe("bt-fmt", () => {
  it("prints the formatted file to stdout", () => {
    const d = fresh({ "a.bt": UGLY });
    const r = run([join(d, "a.bt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(PRETTY);
  });

  it("--range-start/--range-end format only the statements in the range", () => {
    const text = "begin\n{\n  $a=1;\n     $b  =  2;\n  $c=3;\n}\n";
    const start = text.indexOf("$b");
    const d = fresh({ "a.bt": text });
    const r = run(["--range-start", String(start), "--range-end", String(start + 2), join(d, "a.bt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("begin\n{\n  $a=1;\n  $b = 2;\n  $c=3;\n}\n");
    const check = run(["--check", "--range-start", String(start), join(d, "a.bt")]);
    expect(check.code).toBe(1);
  });

  it("bin/bt-fmt.js (CommonJS) runs the CLI and writes its code cache, a bad cache is replaced", () => {
    const cache = mkdtempSync(join(dir, "cache-"));
    const env = { ...process.env, BT_FMT_CACHE_DIR: cache };
    const bin = join(PKG, "bin/bt-fmt.js");
    expect(run([], { input: UGLY, env, cli: bin }).stdout).toBe(PRETTY);
    const files = readdirSync(cache).filter((f) => f.endsWith(".v8cache"));
    const enableCompileCache = (nodeModule as { enableCompileCache?: unknown }).enableCompileCache;
    if (typeof enableCompileCache === "function") {
      // Node 22+: Node's own compile cache fills the directory
      expect(readdirSync(cache).length).toBeGreaterThan(0);
      return;
    }
    expect(files.length).toBe(1);
    expect(run([], { input: UGLY, env, cli: bin }).stdout).toBe(PRETTY);
    writeFileSync(join(cache, files[0]), "not a code cache");
    expect(run([], { input: UGLY, env, cli: bin }).stdout).toBe(PRETTY);
    expect(statSync(join(cache, files[0])).size).toBeGreaterThan(1000);
    expect(run([], { input: UGLY, env: { ...process.env, BT_FMT_CACHE_DIR: "off" }, cli: bin }).stdout).toBe(PRETTY);
  });

  it("reads stdin with no file or `-`", () => {
    expect(run([], { input: UGLY }).stdout).toBe(PRETTY);
    expect(run(["-"], { input: UGLY }).stdout).toBe(PRETTY);
  });

  it("--check lists files that would change and exits 1; 0 when formatted", () => {
    const d = fresh({ "a.bt": UGLY, "b.bt": PRETTY });
    const r = run(["--check", d], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("a.bt\n");
    expect(run(["--check", join(d, "b.bt")]).code).toBe(0);
  });

  it("--write rewrites in place, keeps the mode, leaves formatted files alone", () => {
    const d = fresh({ "a.bt": UGLY, "b.bt": PRETTY });
    chmodSync(join(d, "a.bt"), 0o755);
    const before = statSync(join(d, "b.bt")).mtimeMs;
    const r = run(["--write", d]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, "a.bt"), "utf8")).toBe(PRETTY);
    expect(statSync(join(d, "a.bt")).mode & 0o777).toBe(0o755);
    expect(statSync(join(d, "b.bt")).mtimeMs).toBe(before);
  });

  it("never writes a file that does not parse; reports file:line:col and exits 2", () => {
    const d = fresh({ "bad.bt": BROKEN, "good.bt": UGLY });
    const r = run(["--write", join(d, "bad.bt"), join(d, "good.bt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.bt:1:\d+: error: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(readFileSync(join(d, "bad.bt"), "utf8")).toBe(BROKEN);
    expect(readFileSync(join(d, "good.bt"), "utf8")).toBe(PRETTY);
  });

  it("--diff prints a unified diff and exits 1", () => {
    const d = fresh({ "a.bt": UGLY });
    const r = run(["--diff", join(d, "a.bt")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('-begin{printf("hi\\n");}');
    expect(r.stdout).toContain("+begin");
  });

  it("expands globs and skips non-.bt files in folders", () => {
    const d = fresh({ "x/a.bt": UGLY, "x/notes.txt": "not bpftrace", "y/b.bt": UGLY });
    const r = run(["--check", "x", "y/*.bt"], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").filter(Boolean).sort()).toEqual(["x/a.bt", "y/b.bt"]);
  });

  it("exits 2 for a missing file", () => {
    const r = run(["/nonexistent/file.bt"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/nonexistent/file.bt");
  });

  it("reads .prettierrc and .editorconfig; flags override them", () => {
    const text = 'begin { if (1) { print(1); } }\n';
    const p = fresh({ ".prettierrc": '{ "useTabs": true }\n', "a.bt": text });
    expect(run([join(p, "a.bt")]).stdout).toContain("\n\t\tprint(1);");
    expect(run(["--tab-width", "3", "--no-use-tabs", join(p, "a.bt")]).stdout).toContain("\n      print(1);");
    const e = fresh({ ".editorconfig": "root = true\n[*.bt]\nindent_style = space\nindent_size = 4\n", "a.bt": text });
    expect(run([join(e, "a.bt")]).stdout).toContain("\n        print(1);");
    expect(run(["--stdin-filepath", join(e, "x.bt")], { input: text }).stdout).toContain("\n        print(1);");
  });

  it("--no-config ignores .prettierrc and .editorconfig; --print-width on the command line", () => {
    const text = 'begin { if (1) { print(1); } }\n';
    const p = fresh({ ".prettierrc": '{ "useTabs": true, "printWidth": 20 }\n', ".editorconfig": "root = true\n[*.bt]\nindent_size = 4\n", "a.bt": text });
    expect(run(["--no-config", join(p, "a.bt")]).stdout).toBe("begin\n{\n  if (1) {\n    print(1);\n  }\n}\n");
    const long = 'begin { printf("%d %d %d\\n", 111111, 222222, 333333); }\n';
    const narrow = run(["--no-config", "--print-width", "30"], { input: long }).stdout;
    // bpftrace's arrangement: the first set of breaks whose lines all fit in 30 columns
    expect(narrow).toBe('begin\n{\n  printf("%d %d %d\\n",\n         111111,\n         222222, 333333);\n}\n');
    expect(run(["--no-config"], { input: long }).stdout).toBe('begin\n{\n  printf("%d %d %d\\n", 111111, 222222, 333333);\n}\n');
  });

  it("a broken .prettierrc is one line with the reason, exit 2", () => {
    const p = fresh({ ".prettierrc": "{bad\n", "a.bt": UGLY });
    const r = run([join(p, "a.bt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(p, "a.bt")}: error: YAML Error in "${join(p, ".prettierrc")}": Flow map must end with a } at line 2, column 1:\n`);
  });

  it("prints a usage error for --write on stdin", () => {
    const r = run(["--write"], { input: UGLY });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--write");
  });
});

describe("bt-fmt keeps every byte, read-only files and hard links", () => {
  /** Latin-1 and stray bytes in a string and a comment, and an encoded surrogate (never valid UTF-8). */
  const RAW = Buffer.concat([
    Buffer.from('begin{printf("caf'),
    Buffer.from([0xe9, 0xff]),
    Buffer.from('\\n");// r'),
    Buffer.from([0xe9, 0xed, 0xa0, 0x80]),
    Buffer.from("sum\n}\n"),
  ]);
  const RAW_PRETTY = Buffer.concat([
    Buffer.from('begin\n{\n  printf("caf'),
    Buffer.from([0xe9, 0xff]),
    Buffer.from('\\n"); // r'),
    Buffer.from([0xe9, 0xed, 0xa0, 0x80]),
    Buffer.from("sum\n}\n"),
  ]);
  const rawRun = (args: string[], input: Buffer = Buffer.alloc(0)) => spawnSync(process.execPath, [CLI, ...args], { input });
  const freshBytes = (name: string, bytes: Buffer) => {
    const d = mkdtempSync(join(dir, "case-"));
    writeFileSync(join(d, name), bytes);
    return join(d, name);
  };

  it("bytes that are not UTF-8 in strings and comments come out unchanged: stdout, stdin, --write", () => {
    const file = freshBytes("a.bt", RAW);
    const out = rawRun([file]);
    expect(out.status).toBe(0);
    expect(out.stdout.equals(RAW_PRETTY)).toBe(true);
    expect(rawRun(["-"], RAW).stdout.equals(RAW_PRETTY)).toBe(true);
    expect(rawRun(["--write", file]).status).toBe(0);
    expect(readFileSync(file).equals(RAW_PRETTY)).toBe(true);
  });

  it("a byte that is not UTF-8 outside strings and comments is a syntax error at its place", () => {
    const file = freshBytes("a.bt", Buffer.concat([Buffer.from("begin {\n  $x = 1"), Buffer.from([0xff]), Buffer.from(";\n}\n")]));
    const r = run(["--write", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}:2:9: error: invalid UTF-8 byte 0xff outside a string or comment\n`);
  });

  it("refuses a byte-order mark (bpftrace does) and leaves the file alone", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(UGLY)]);
    const file = freshBytes("bom.bt", bytes);
    const r = run(["--write", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:1: error: byte-order mark`));
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("refuses to rewrite a read-only file (exit 2) and leaves it as it was", () => {
    const file = freshBytes("ro.bt", Buffer.from(UGLY));
    chmodSync(file, 0o444);
    const r = run(["--write", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: error: read-only file (mode 0444), not rewritten\n`);
    expect(readFileSync(file, "utf8")).toBe(UGLY);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  it("rewrites a hard-linked file in place, so every name sees the new text", () => {
    const file = freshBytes("a.bt", Buffer.from(UGLY));
    const other = join(dirname(file), "b.bt");
    linkSync(file, other);
    expect(run(["--write", file]).code).toBe(0);
    expect(statSync(file).ino).toBe(statSync(other).ino);
    expect(readFileSync(other, "utf8")).toBe(PRETTY);
    expect(readdirSync(dirname(file)).sort()).toEqual(["a.bt", "b.bt"]);
  });
});

describe("bt-fmt at depth, as a process with the command's own stack", () => {
  const deepest = {
    calls: `BEGIN { $x = ${"max(".repeat(MAX_NESTING - 1)}1${")".repeat(MAX_NESTING - 1)}; }\n`,
    blocks: `BEGIN ${"{ ".repeat(MAX_NESTING)}$x = 1;${" }".repeat(MAX_NESTING)}\n`,
    "map keys": `BEGIN { @a[1] = 1; $x = ${"@a[".repeat(MAX_NESTING - 1)}1${"]".repeat(MAX_NESTING - 1)}; }\n`,
    "a 100,000-term chain": `BEGIN { $x = ${Array(100_000).fill("1").join(" + ")}; }\n`,
  };
  for (const [name, text] of Object.entries(deepest)) {
    it(name, () => {
      const d = fresh({ "a.bt": text });
      const r = spawnSync(process.execPath, [CLI, "--check", join(d, "a.bt")], { encoding: "utf8" });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 1, stderr: "" });
    }, 60_000);
  }
});

describe("prettier CLI with the plugin", () => {
  it("formats .bt files with --plugin prettier-plugin-bpftrace", () => {
    const d = fresh({ "a.bt": UGLY });
    const r = spawnSync(process.execPath, [PRETTIER, "--plugin", "prettier-plugin-bpftrace", join(d, "a.bt")], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(PRETTY);
  });

  it("formats a 100,000-term chain with a comment at its start without overflowing the stack", () => {
    const chain = Array(100_000).fill("1").join(" + ");
    const d = fresh({ "a.bt": `BEGIN { $x = 1 /* c */ + ${chain}; }\n` });
    const r = spawnSync(process.execPath, [PRETTIER, "--plugin", "prettier-plugin-bpftrace", join(d, "a.bt")], {
      cwd: REPO,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.startsWith("BEGIN\n{\n  $x = 1 /* c */ +\n    1 +\n")).toBe(true);
    expect(r.stdout.split("\n").length).toBe(100_005); // BEGIN, {, 100,001 operand lines, }, and the final newline
  }, 120_000);

  it("formats .bt files with the plugin listed in .prettierrc", () => {
    const d = fresh({ "a.bt": UGLY, ".prettierrc": JSON.stringify({ plugins: [join(PKG, "dist/index.js")] }) });
    const r = spawnSync(process.execPath, [PRETTIER, "a.bt"], { cwd: d, encoding: "utf8" });
    expect(r.stdout).toBe(PRETTY);
  });
});
