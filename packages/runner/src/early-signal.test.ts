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
    // A bpftrace whose --version is slow, so the signal lands during bt-run's checks.
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then touch ${started}; sleep 1; echo "bpftrace v0.27.1"; exit 0; fi\necho "$*" >> ${log}\n`,
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
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("bt-run: SIGINT before bpftrace started; nothing was run");
    const ran = existsSync(log) ? readFileSync(log, "utf8") : "";
    expect(ran).not.toContain("BEGIN");
  });
});
