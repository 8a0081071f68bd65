import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Bpftrace, parseVersionOutput, type ExecFile } from "./bpftrace.ts";

describe("parseVersionOutput", () => {
  it("reads `bpftrace vX.Y.Z`", () => {
    expect(parseVersionOutput("bpftrace v0.23.2\n")).toEqual({ version: "0.23.2", release: "0.23" });
    expect(parseVersionOutput("bpftrace v0.17.0")).toEqual({ version: "0.17.0", release: "0.17" });
    expect(parseVersionOutput("bpftrace v0.21.0-rc1\n")).toEqual({ version: "0.21.0", release: "0.21" });
  });

  it("clamps releases outside the known range", () => {
    expect(parseVersionOutput("bpftrace v0.31.0")).toEqual({ version: "0.31.0", release: "0.27" });
    expect(parseVersionOutput("bpftrace v0.9.4")).toEqual({ version: "0.9.4", release: "0.16" });
  });

  it("rejects anything else", () => {
    expect(parseVersionOutput("")).toBeUndefined();
    expect(parseVersionOutput("Python 3.11.2")).toBeUndefined();
    expect(parseVersionOutput("bpftrace version unknown")).toBeUndefined();
  });
});

describe("Bpftrace adapter", () => {
  it("runs `<path> --version` with an argument array and caches the answer", async () => {
    const calls: [string, readonly string[]][] = [];
    const exec: ExecFile = async (file, args) => {
      calls.push([file, args]);
      return "bpftrace v0.20.4\n";
    };
    const logs: string[] = [];
    const b = new Bpftrace("/opt/bt/bpftrace", (m) => logs.push(m), exec);
    expect(await b.version()).toEqual({ version: "0.20.4", release: "0.20" });
    expect(await b.version()).toEqual({ version: "0.20.4", release: "0.20" });
    expect(calls).toEqual([["/opt/bt/bpftrace", ["--version"]]]);
    expect(logs).toEqual([]);
  });

  it("a missing binary turns version detection off with one message", async () => {
    const logs: string[] = [];
    const b = new Bpftrace("no-such-bpftrace-binary", (m) => logs.push(m));
    expect(await b.version()).toBeUndefined();
    expect(await b.version()).toBeUndefined();
    expect(logs).toEqual([
      "bpftrace not found: 'no-such-bpftrace-binary' (setting bt.bpftracePath). Version detection is off; checking against bpftrace 0.27. Set bt.target to a release to silence this.",
    ]);
  });

  it("never goes through a shell", async () => {
    const logs: string[] = [];
    const b = new Bpftrace("echo bpftrace v0.20.0;", (m) => logs.push(m));
    expect(await b.version()).toBeUndefined();
    expect(logs[0]).toMatch(/^bpftrace not found: 'echo bpftrace v0.20.0;'/);
  });

  it("validates the output of a real executable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-lsp-bpftrace-"));
    const good = join(dir, "good");
    writeFileSync(good, "#!/bin/sh\necho \"bpftrace v0.24.1\"\n");
    const bad = join(dir, "bad");
    writeFileSync(bad, "#!/bin/sh\necho 'hello'\n");
    const failing = join(dir, "failing");
    writeFileSync(failing, "#!/bin/sh\necho oops >&2\nexit 3\n");
    for (const f of [good, bad, failing]) chmodSync(f, 0o755);
    const logs: string[] = [];
    expect(await new Bpftrace(good, (m) => logs.push(m)).version()).toEqual({ version: "0.24.1", release: "0.24" });
    expect(await new Bpftrace(bad, (m) => logs.push(m)).version()).toBeUndefined();
    expect(await new Bpftrace(failing, (m) => logs.push(m)).version()).toBeUndefined();
    expect(logs).toHaveLength(2);
    expect(logs[0]).toBe(`'${bad} --version' printed "hello", not "bpftrace vX.Y.Z". Version detection is off; checking against bpftrace 0.27.`);
    expect(logs[1]).toMatch(new RegExp(`^bpftrace failed \\(Command failed: ${failing} --version`));
  });

  const real = ["/usr/local/bin/bpftrace-0.17", "/usr/local/bin/bpftrace-0.23", "/usr/local/bin/bpftrace-0.27"].filter((p) => existsSync(p));
  if (real.length === 0) console.warn("SKIPPED: no real bpftrace in /usr/local/bin (run /work/shared/oracle/install.sh)");
  describe.skipIf(real.length === 0)("real bpftrace binaries", () => {
    it.each(real)("%s --version gives its release", async (path) => {
      const release = /bpftrace-(\d+\.\d+)$/.exec(path)![1];
      const version = await new Bpftrace(path, () => {}).version();
      expect(version?.release).toBe(release);
    });
  });
});
