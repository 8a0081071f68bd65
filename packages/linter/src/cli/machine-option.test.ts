import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMachine } from "@bt/system";
import { main, type Io } from "./main.ts";

const PROGRAM = `kprobe:vfs_readx { @[curtask->pidd] = count(); }
tracepoint:syscalls:sys_enter_openat { printf("%s\\n", str(args.filenme)); }
`;

let haveBtf = true;
try {
  accessSync("/sys/kernel/btf/vmlinux", constants.R_OK);
} catch {
  haveBtf = false;
  console.warn("SKIPPED bt-lint --machine findings test: /sys/kernel/btf/vmlinux is not readable");
}

const dir = mkdtempSync(join(tmpdir(), "bt-lint-machine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => "", cwd, isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const machineRules = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; line: number; message: string }[] }[]).flatMap((f) => f.findings).filter((f) => f.rule.startsWith("machine-"));

describe("bt-lint --machine and \"machine\": true", () => {
  writeFileSync(join(dir, "probe.bt"), PROGRAM);

  it("machine checks are off by default", async () => {
    const r = await run(["--format", "json", "probe.bt"]);
    expect(machineRules(r.stdout)).toEqual([]);
  });

  it.skipIf(!haveBtf)("--machine reports attach points and fields this machine lacks", async () => {
    const r = await run(["--format", "json", "--machine", "probe.bt"]);
    expect(r.code).toBe(1);
    const found = machineRules(r.stdout);
    expect(found.some((f) => f.rule === "machine-attach-point" && f.line === 1 && /vfs_readx.*Did you mean `vfs_read`/.test(f.message))).toBe(true);
    expect(found.some((f) => f.rule === "machine-field" && f.line === 1 && /no field `pidd`.*Did you mean `pid`/.test(f.message))).toBe(true);
  });

  it.skipIf(!haveBtf)("`\"machine\": true` in .btlintrc.json turns them on; --no-fs turns them off", async () => {
    const sub = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(sub, ".btlintrc.json"), JSON.stringify({ machine: true }));
    writeFileSync(join(sub, "probe.bt"), PROGRAM);
    expect(machineRules((await run(["--format", "json", "probe.bt"], sub)).stdout).length).toBeGreaterThan(0);
    expect(machineRules((await run(["--format", "json", "--no-fs", "probe.bt"], sub)).stdout)).toEqual([]);
    const printed = JSON.parse((await run(["--print-config", join(sub, "probe.bt")], sub)).stdout);
    expect(printed.machine).toBe(true);
  });

  it.skipIf(!haveBtf)("says nothing on standard error when every source it needed was there", async () => {
    const r = await run(["--format", "json", "--machine", "probe.bt"]);
    const tracepointsPartial = /tracepoints: /.test(r.stderr);
    // Without root tracefs is unreadable and the tracepoint list partial: then, and only then, it must be said.
    expect(tracepointsPartial).toBe(createMachine().tracepoints().partial);
    expect(r.stderr.split("\n").filter(Boolean).every((l) => l.startsWith("bt-lint --machine: "))).toBe(true);
  });

  it("rejects a non-boolean \"machine\"", async () => {
    const sub = mkdtempSync(join(dir, "bad-"));
    writeFileSync(join(sub, ".btlintrc.json"), JSON.stringify({ machine: "yes" }));
    writeFileSync(join(sub, "probe.bt"), PROGRAM);
    const r = await run(["probe.bt"], sub);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"machine" must be true or false/);
  });
});
