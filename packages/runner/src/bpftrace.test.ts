import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { isHarmlessStderr, locateBpftrace, parseVersion, readFeatures, readVersion } from "./bpftrace.ts";

const scratch = mkdtempSync(join(tmpdir(), "bt-run-locate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("parseVersion", () => {
  // The reading itself is @bt/parser's parseBpftraceVersion (tested there); this is bt-run's shape.
  it("gives the full version (patch level filled in), the release and the release to check against", () => {
    expect(parseVersion("bpftrace v0.21.0-12-gdeadbeef")).toEqual({ full: "0.21.0", release: "0.21", lintTarget: "0.21" });
    expect(parseVersion("bpftrace 0.19")).toEqual({ full: "0.19.0", release: "0.19", lintTarget: "0.19" });
    expect(parseVersion("bpftrace v0.31.0")).toEqual({ full: "0.31.0", release: "0.31", lintTarget: "0.27" });
  });
  it("returns undefined without a version", () => {
    expect(parseVersion("bpftrace: command not found")).toBeUndefined();
  });
});

describe("locateBpftrace", () => {
  const fake = join(scratch, "bpftrace");
  writeFileSync(fake, "#!/bin/sh\necho 'bpftrace v0.20.1'\n");
  chmodSync(fake, 0o755);

  it("prefers --bpftrace, then $BPFTRACE, then PATH", () => {
    expect(locateBpftrace("/usr/bin/true", { BPFTRACE: fake, PATH: scratch })).toMatchObject({ ok: true, path: "/usr/bin/true", source: "--bpftrace" });
    expect(locateBpftrace(undefined, { BPFTRACE: fake, PATH: "/nonexistent" })).toMatchObject({ ok: true, path: fake, source: "BPFTRACE" });
    expect(locateBpftrace(undefined, { PATH: `/nonexistent:${scratch}` })).toMatchObject({ ok: true, path: fake, source: "PATH" });
  });
  it("says where it looked, in one line, when nothing is there", () => {
    expect(locateBpftrace(undefined, { PATH: "/nonexistent" })).toEqual({
      ok: false,
      message: "bpftrace not found on PATH: install it (e.g. apt install bpftrace) or pass --bpftrace PATH",
    });
    expect(locateBpftrace("/no/such/bpftrace", {})).toEqual({ ok: false, message: "bpftrace not found at /no/such/bpftrace (from --bpftrace): check the path" });
  });
  it("reads the version from the binary", () => {
    expect(readVersion(fake)).toEqual({ ok: true, full: "0.20.1", release: "0.20", lintTarget: "0.20" });
  });
});

describe("isHarmlessStderr", () => {
  it("hides only the known start-up noise", () => {
    expect(isHarmlessStderr(`WARNING: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem`)).toBe(true);
    expect(isHarmlessStderr("WARNING: Could not read functions from /sys/kernel/debug/tracing/available_filter_functions. If this is expected, …")).toBe(true);
    expect(isHarmlessStderr("ERROR: uprobe target file '/x' does not exist or is not executable")).toBe(false);
  });
});

const has = (bin: string) => spawnSync(bin, ["--version"]).status === 0;
describe("readFeatures (real binaries)", () => {
  const cases: [string, boolean][] = [["bpftrace-0.17", false], ["bpftrace-0.23", true], ["bpftrace-0.27", true]];
  for (const [bin, dryRun] of cases) {
    if (!has(bin)) {
      console.warn(`SKIPPED: ${bin} is not installed (run /work/shared/oracle/install.sh)`);
      it.skip(`${bin}`, () => {});
      continue;
    }
    it(`${bin}: --dry-run ${dryRun ? "present" : "absent"}, -f json present`, () => {
      expect(readFeatures(bin)).toEqual({ dryRun, json: true });
    });
  }
});
