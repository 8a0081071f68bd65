import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(pkg, "dist/bt-lint.js");
const run = (args: string[], opts: { cwd?: string; input?: string } = {}) =>
  spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd, input: opts.input, encoding: "utf8" });

const SEED = `uprobe:libc:__libc_start_main { @start_times[pid] = nsecs; }
uprobe:/nix/store/nq*2.40-36/lib/libc.so*:exit
/@start_times[pid] != 0/
{
  @h[comm] = hist(nsecs - @start_times[pid]);
  delete(@start_times, pid);
}
`;

describe("bt-lint CLI (built bundle)", () => {
  let dir: string;
  beforeAll(() => {
    execFileSync(process.execPath, [join(pkg, "scripts/build.mjs")]);
    dir = mkdtempSync(join(tmpdir(), "bt-lint-cli-"));
    writeFileSync(join(dir, "seed.bt"), SEED);
    writeFileSync(join(dir, "clean.bt"), "BEGIN { printf(\"hi\\n\"); }\n");
    writeFileSync(join(dir, "broken.bt"), "BEGIN { printf(\"hi\\n\" }\n");
  });

  it("--param and --unsafe/--no-unsafe check the script as the run bpftrace will get", () => {
    writeFileSync(join(dir, "params.bt"), 'BEGIN { @x = $1 * 2; system("true"); @y = $2; exit(); }\n');
    const rows = (args: string[]) => {
      const r = run(["--format", "json", "--no-fs", ...args, "params.bt"], { cwd: dir });
      return JSON.parse(r.stdout)[0].findings.map((f: { rule: string; severity: string; column: number }) => `${f.rule} ${f.severity} 1:${f.column}`);
    };
    // Without them nothing about $N or unsafe functions is judged.
    expect(rows([])).toEqual([]);
    expect(rows(["--param", "hello", "--no-unsafe"])).toEqual([
      "operand-types error 1:14",
      "call-arguments error 1:22",
      "empty-positional-parameter warning 1:43",
    ]);
    expect(rows(["--param", "41", "--param", "2", "--unsafe"])).toEqual([]);
  });

  it("json format, exact shape, exit 1 on errors", () => {
    const r = run(["--format", "json", "--target", "0.17", "--no-fs", "seed.bt"], { cwd: dir });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out[0].file).toBe("seed.bt");
    expect(out[0].findings.map((f: { rule: string; line: number; column: number; endLine: number; endColumn: number; severity: string }) => [f.rule, f.severity, f.line, f.column, f.endLine, f.endColumn])).toEqual([
      ["nix-store-path", "warning", 2, 8, 2, 42],
      ["version-compat", "error", 6, 3, 6, 28],
    ]);
    expect(out[0].findings[1].fix).toEqual({ edits: [{ line: 6, column: 3, endLine: 6, endColumn: 28, text: "delete(@start_times[pid])" }] });
  });

  it("exit 0 on a clean file, 2 on usage errors, 1 with --max-warnings", () => {
    expect(run(["clean.bt"], { cwd: dir }).status).toBe(0);
    expect(run(["--target", "9.9", "clean.bt"], { cwd: dir }).status).toBe(2);
    expect(run(["missing.bt"], { cwd: dir }).status).toBe(2);
    expect(run(["--rule", "nope=off", "clean.bt"], { cwd: dir }).status).toBe(2);
    expect(run(["--target", "0.27", "--no-fs", "--max-warnings", "0", "seed.bt"], { cwd: dir }).status).toBe(1);
    // at 0.27 the seed's `nsecs - @start_times[pid]` also draws implicit-integer-cast warnings (as bpftrace 0.27 warns)
    expect(run(["--target", "0.27", "--no-fs", "--rule", "nix-store-path=off", "--rule", "implicit-integer-cast=off", "--max-warnings", "0", "seed.bt"], { cwd: dir }).status).toBe(0);
  });

  it("a file that does not parse gives the parser's diagnostics, not a stack trace", () => {
    const r = run(["--format", "json", "broken.bt"], { cwd: dir });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out[0].findings[0].rule).toBe("syntax");
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("stdin with --stdin-filename, github and sarif formats", () => {
    const gh = run(["--stdin", "--stdin-filename", "x.bt", "--format", "github", "--target", "0.17", "--no-fs"], { cwd: dir, input: SEED });
    expect(gh.stdout).toContain("::error file=x.bt,line=6,col=3,endLine=6,endColumn=28,title=bt-lint version-compat::");
    const sarif = JSON.parse(run(["--stdin", "--format", "sarif", "--target", "0.17", "--no-fs"], { cwd: dir, input: SEED }).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(10);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "version-compat");
    expect(res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe("delete(@start_times[pid])");
    expect(sarif.runs[0].tool.driver.rules[res.ruleIndex].id).toBe("version-compat");
  });

  it("--fix writes the fixed file; config from .btlintrc.json; --print-config", () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-fix-"));
    writeFileSync(join(d, ".btlintrc.json"), JSON.stringify({ target: "0.17", rules: { "nix-store-path": "off" } }));
    writeFileSync(join(d, "a.bt"), SEED);
    const r = run(["--fix", "--no-fs", "a.bt"], { cwd: d });
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, "a.bt"), "utf8")).toBe(SEED.replace("delete(@start_times, pid);", "delete(@start_times[pid]);"));
    const cfg = JSON.parse(run(["--print-config", "a.bt"], { cwd: d }).stdout);
    expect(cfg.target).toBe("0.17");
    expect(cfg.rules["nix-store-path"]).toBe("off");
    expect(cfg.configFile).toBe(join(d, ".btlintrc.json"));
  });

  it("--fix-dry-run computes the fix without writing; json carries the fixed text as output", () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-dry-"));
    writeFileSync(join(d, "a.bt"), SEED);
    const fixedText = SEED.replace("delete(@start_times, pid);", "delete(@start_times[pid]);");
    const json = run(["--fix-dry-run", "--format", "json", "--target", "0.17", "--no-fs", "a.bt"], { cwd: d });
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out[0].output).toBe(fixedText);
    expect(out[0].findings.map((f: { rule: string }) => f.rule)).toEqual(["nix-store-path"]);
    expect(readFileSync(join(d, "a.bt"), "utf8")).toBe(SEED);
    const stylish = run(["--fix-dry-run", "--target", "0.17", "--no-fs", "a.bt"], { cwd: d });
    expect(stylish.stdout).toContain("a.bt: 1 fix available (dry run, nothing written)\n");
    expect(readFileSync(join(d, "a.bt"), "utf8")).toBe(SEED);
    // with stdin, the report (not the source) goes to stdout
    const stdin = run(["--stdin", "--fix-dry-run", "--format", "json", "--target", "0.17", "--no-fs"], { cwd: d, input: SEED });
    expect(JSON.parse(stdin.stdout)[0].output).toBe(fixedText);
  });

  it("--fix with stdin prints the fixed source to stdout and the remaining findings to stderr", () => {
    const r = run(["--stdin-filename", "x.bt", "--fix", "--target", "0.17", "--no-fs", "--format", "json"], { cwd: dir, input: SEED });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(SEED.replace("delete(@start_times, pid);", "delete(@start_times[pid]);"));
    const report = JSON.parse(r.stderr);
    expect(report).toHaveLength(1);
    expect(report[0].file).toBe("x.bt");
    expect(report[0].findings.map((f: { rule: string; line: number; column: number }) => [f.rule, f.line, f.column])).toEqual([["nix-store-path", 2, 8]]);
    expect(report[0].output).toBeUndefined();
    // nothing to fix: the text comes back unchanged, nothing on stderr for a clean file
    const clean = run(["--stdin", "--fix", "--no-fs"], { cwd: dir, input: "BEGIN { printf(\"hi\\n\"); }\n" });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe("BEGIN { printf(\"hi\\n\"); }\n");
    expect(clean.stderr).toBe("");
    // a remaining error still fails the run, and the source is still printed
    const bad = run(["--stdin", "--fix", "--no-fs", "--target", "0.27"], { cwd: dir, input: 'BEGIN { printf("%d\\n"); }\n' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('BEGIN { printf("%d\\n"); }\n');
    expect(bad.stderr).toContain("1:16  error  `printf()` format has 1 specifier but 0 arguments: `%d` has no value.  format-string");
  });

  it("--target installed with a stand-in bpftrace: clamps a newer release, one line for garbage", () => {
    const d = mkdtempSync(join(tmpdir(), "bt-lint-installed-"));
    const fake = (name: string, out: string) => {
      writeFileSync(join(d, name), `#!/bin/sh\necho '${out}'\n`);
      chmodSync(join(d, name), 0o755);
      return join(d, name);
    };
    const env = (bin: string) => ({ ...process.env, BT_BPFTRACE: bin });
    const newer = spawnSync(process.execPath, [cli, "--target", "installed", "--print-config", "x.bt"], { cwd: d, encoding: "utf8", env: env(fake("new", "bpftrace v0.31.0")) });
    expect(newer.status).toBe(0);
    expect(JSON.parse(newer.stdout).target).toBe("0.27");
    const older = spawnSync(process.execPath, [cli, "--target", "installed", "--print-config", "x.bt"], { cwd: d, encoding: "utf8", env: env(fake("old", "bpftrace v0.20.2")) });
    expect(JSON.parse(older.stdout).target).toBe("0.20");
    const bad = spawnSync(process.execPath, [cli, "--target", "installed", "--print-config", "x.bt"], { cwd: d, encoding: "utf8", env: env(fake("bad", "Python 3.11.2")) });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`bt-lint: --target installed: "${join(d, "bad")} --version" printed "Python 3.11.2", not "bpftrace vX.Y.Z"\n`);
  });

  it("--target installed asks bpftrace --version", () => {
    if (!existsSync("/usr/bin/bpftrace") && !existsSync("/usr/local/bin/bpftrace")) {
      console.warn("bpftrace not installed — skipping --target installed");
      return;
    }
    const r = run(["--target", "installed", "--print-config", "clean.bt"], { cwd: dir });
    const v = execFileSync("bpftrace", ["--version"], { encoding: "utf8" });
    expect(JSON.parse(r.stdout).target).toBe(/(\d+\.\d+)/.exec(v)![1]);
  });
});
