import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "..", "dist", "bt-run.js");

describe("a signal while bt-run is still checking", () => {
  it("stops before bpftrace starts, says so, and exits 128+signal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-run-early-"));
    const log = join(dir, "ran.log");
    const fake = join(dir, "bpftrace");
    const started = join(dir, "version-started");
    const signalled = join(dir, "signalled");
    // A bpftrace whose --version waits until the test has sent its signal (10 s at most), so the
    // signal lands during bt-run's checks however slow the machine is.
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then touch ${started}; i=0; while [ ! -e ${signalled} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; echo "bpftrace v0.27.1"; exit 0; fi\necho "$*" >> ${log}\n`,
    );
    chmodSync(fake, 0o755);
    const child = spawn(process.execPath, [CLI, "--bpftrace", fake, "-e", "BEGIN { exit(); }"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Signal once bt-run is inside its `--version` check (its handlers are installed by then).
    const poll = setInterval(() => {
      if (existsSync(started)) {
        clearInterval(poll);
        child.kill("SIGINT");
        writeFileSync(signalled, "");
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("bt-run: SIGINT before bpftrace started; nothing was run");
    const ran = existsSync(log) ? readFileSync(log, "utf8") : "";
    expect(ran).not.toContain("BEGIN");
  });
});
