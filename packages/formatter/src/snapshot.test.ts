/**
 * `bt-fmt` as a shell runs it (bin/bt-fmt.js executed, not `node bin/bt-fmt.js`), started from
 * the V8 startup snapshot (src/snapshot.ts, dist/bt-fmt.blob) or, when the snapshot does not
 * fit this node, without it. Needs `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@bt/parser";
import { beforeAll, describe, expect, it } from "vitest";
import { format, formatInPiecesForTest } from "./format.ts";
import { WARM_UP_PROGRAM, largeWarmUpProgram } from "./snapshot.ts";

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = resolve(PKG, "../../fixtures/format");
const BLOB = join(PKG, "dist/bt-fmt.blob");
const UGLY = 'begin{printf("hi\\n");}\n';
const PRETTY = 'begin\n{\n  printf("hi\\n");\n}\n';

function bt(bin: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const r = spawnSync(bin, args, { input: opts.input ?? "", encoding: "utf8", env: { ...process.env, ...opts.env }, cwd: opts.cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the warm-up program", () => {
  it("parses without a diagnostic, so the snapshot holds a fully exercised parser", () => {
    expect(parse(WARM_UP_PROGRAM).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("its large form parses and is formatted in pieces (so the snapshot holds that path too)", async () => {
    const large = largeWarmUpProgram();
    expect(large.length).toBeGreaterThan(2 * 64 * 1024);
    expect(parse(large).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const pieces = await formatInPiecesForTest(large, 64 * 1024);
    expect(pieces).toBeDefined();
    expect(pieces).toBe(await format(large));
  });
});

describe.skipIf(!existsSync(BLOB))("bt-fmt started from its startup snapshot", () => {
  let dir: string;
  /** A copy of bin/ and dist/ to tamper with. */
  let copy: string;
  let copyBin: string;
  /** A snapshot whose program prints "from a snapshot", to tell whether the launcher used one. */
  let marker: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "bt-fmt-snapshot-"));
    copy = join(dir, "pkg");
    for (const sub of ["bin", "dist"]) cpSync(join(PKG, sub), join(copy, sub), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    copyBin = join(copy, "bin/bt-fmt.js");
    const entry = join(dir, "marker.cjs");
    writeFileSync(entry, 'require("node:v8").startupSnapshot.setDeserializeMainFunction(() => console.log("from a snapshot"));\n');
    marker = join(dir, "marker.blob");
    const built = spawnSync(process.execPath, ["--snapshot-blob", marker, "--build-snapshot", entry], { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
  });

  /** The copy with the marker snapshot in place of the real one, newer than node and the bundle. */
  function withMarker(): void {
    const built = new Date("2020-01-01T00:00:00Z");
    utimesSync(join(copy, "dist/bt-fmt-bundle.cjs"), built, built);
    cpSync(marker, join(copy, "dist/bt-fmt.blob"));
    const now = new Date();
    utimesSync(join(copy, "dist/bt-fmt.blob"), now, now);
    rmSync(join(copy, "dist/bt-fmt.blob.node"), { force: true });
    symlinkSync(process.execPath, join(copy, "dist/bt-fmt.blob.node"));
  }

  it("formats exactly as the plain node run does, every fixture", () => {
    const bin = join(PKG, "bin/bt-fmt.js");
    const inputs = readdirSync(FIXTURES).map((c) => join(FIXTURES, c, "input.bt"));
    const fromSnapshot = bt(bin, inputs);
    const plain = bt(process.execPath, [bin, ...inputs]);
    expect(fromSnapshot.stderr).toBe("");
    expect(fromSnapshot.code).toBe(0);
    expect(fromSnapshot.stdout).toBe(plain.stdout);
    expect(fromSnapshot.stdout).toContain(readFileSync(join(FIXTURES, readdirSync(FIXTURES)[0], "output.bt"), "utf8"));
  });

  it("reads .prettierrc through the full prettier package, which the snapshot's builder cannot load", () => {
    const d = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(d, ".prettierrc"), '{ "tabWidth": 4 }\n');
    writeFileSync(join(d, "a.bt"), UGLY);
    const r = bt(join(PKG, "bin/bt-fmt.js"), ["a.bt"], { cwd: d });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(PRETTY.replace("  printf", "    printf"));
  });

  it("starts from dist/bt-fmt.blob when it was made by this node after this bundle", () => {
    withMarker();
    expect(bt(copyBin, []).stdout).toBe("from a snapshot\n");
  });

  it("starts without it when the bundle is newer, another node made it, NODE_OPTIONS is set, or BT_FMT_SNAPSHOT=off", () => {
    const cases: [string, () => NodeJS.ProcessEnv | undefined][] = [
      ["bundle rebuilt", () => {
        const later = new Date(Date.now() + 5000);
        utimesSync(join(copy, "dist/bt-fmt-bundle.cjs"), later, later);
        return undefined;
      }],
      ["another node", () => {
        rmSync(join(copy, "dist/bt-fmt.blob.node"));
        symlinkSync("/bin/sh", join(copy, "dist/bt-fmt.blob.node"));
        return undefined;
      }],
      ["NODE_OPTIONS", () => ({ NODE_OPTIONS: "--max-old-space-size=300" })],
      ["switched off", () => ({ BT_FMT_SNAPSHOT: "off" })],
    ];
    for (const [name, tamper] of cases) {
      withMarker();
      expect(bt(copyBin, []).stdout).toBe("from a snapshot\n");
      const env = tamper();
      const r = bt(copyBin, [], { input: UGLY, env: { BT_FMT_CACHE_DIR: "off", ...env } });
      expect({ name, stdout: r.stdout, code: r.code }).toEqual({ name, stdout: PRETTY, code: 0 });
    }
  });

  it("keeps exit codes and stderr: a syntax error is exit 2 with its location", () => {
    const d = mkdtempSync(join(dir, "err-"));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "bad.bt"), "BEGIN { printf( }\n");
    const r = bt(join(PKG, "bin/bt-fmt.js"), [join(d, "bad.bt")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.bt:1:17/);
  });
});
