/**
 * The facts @bt/system reads, checked against what the real bpftrace lists on this machine
 * (`bpftrace -l`, `bpftrace -lv`). Needs root, a real bpftrace and tracefs; skips loudly otherwise.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "./kernel.ts";
import { tempDir } from "./test-dirs.ts";
import { Userspace } from "./userspace.ts";

const BPFTRACE = ["/usr/local/bin/bpftrace-0.27", "/usr/local/bin/bpftrace-0.23"].find((p) => existsSync(p));
const root = process.getuid?.() === 0;
const kernel = new Kernel();
const tracefs = kernel.tracepoints().source === "tracefs";
const reason = !BPFTRACE ? "no real bpftrace in /usr/local/bin (run ../shared/oracle/install.sh)" : !root ? "not root" : !tracefs ? "tracefs not readable" : undefined;
if (reason) console.warn(`SKIPPED bpftrace oracle tests for @bt/system: ${reason}`);

function list(pattern: string, verbose = false): string[] {
  const r = spawnSync(BPFTRACE!, [verbose ? "-lv" : "-l", pattern], { encoding: "utf8", timeout: 120_000 });
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}

describe.skipIf(reason !== undefined)("@bt/system agrees with bpftrace -l on this machine", () => {
  it("tracepoints matching a wildcard", () => {
    const ours = kernel.tracepoints().events.matching("syscalls:sys_enter_open*").map((e) => `tracepoint:${e}`);
    expect(ours).toEqual(list("tracepoint:syscalls:sys_enter_open*").sort());
  });

  it("tracepoint fields, as bpftrace -lv prints them (common fields left out)", () => {
    for (const [category, event] of [["syscalls", "sys_enter_openat"], ["sched", "sched_switch"], ["syscalls", "sys_exit_read"]]) {
      const printed = list(`tracepoint:${category}:${event}`, true).slice(1).map((l) => l.trim());
      const ours = kernel.tracepointFields(category, event)!.filter((f) => !f.common).map((f) => f.name);
      // bpftrace prints `type name` (arrays as `type name[N]`); compare the names.
      expect(ours, `${category}:${event}`).toEqual(printed.map((l) => /([A-Za-z_][A-Za-z0-9_]*)(\[\d*\])?$/.exec(l)![1]));
    }
  });

  it("function symbols of /bin/bash", () => {
    const bash = new Userspace().binarySymbols("/bin/bash");
    if (!bash.ok) throw new Error(bash.reason);
    const ours = bash.value.names.matching("readline*").map((n) => `uprobe:/bin/bash:${n}`);
    expect(ours).toEqual(list("uprobe:/bin/bash:readline*").sort());
  });

  it("raw tracepoints and their args (0.27, with a traceable-functions list made from kallsyms)", () => {
    if (!BPFTRACE!.endsWith("0.27")) return void console.warn("SKIPPED raw tracepoint oracle check: needs bpftrace 0.27 (--traceable-functions)");
    // 0.27 lists nothing without available_filter_functions, which lockdown hides here even from root.
    const traceable = join(tempDir("traceable"), "functions.txt");
    const lines = readFileSync("/proc/kallsyms", "latin1")
      .split("\n")
      .map((l) => /^\S+ [tT] (\S+)(?:\t\[([^\]]+)\])?/.exec(l))
      .filter((m) => m && !m[2]?.startsWith("__builtin"))
      .map((m) => (m![2] ? `${m![1]} [${m![2]}]` : m![1]));
    writeFileSync(traceable, lines.join("\n") + "\n");
    const run = (args: string[]) => spawnSync(BPFTRACE!, ["--traceable-functions", traceable, ...args], { encoding: "utf8", timeout: 120_000 }).stdout.split("\n").filter((l) => l.trim() !== "");
    const theirs = new Set(run(["-l", "rawtracepoint:*"]));
    const ours = kernel.rawTracepoints().names.names.map((n) => `rawtracepoint:${n}`);
    expect(ours.filter((n) => !theirs.has(n))).toEqual([]);
    // Measured: 0.27 lists one name more than BTF has stubs for (`event_rt`, in neither BTF nor kallsyms here, no args).
    expect(theirs.size - ours.length).toBeLessThanOrEqual(1);
    const printed = run(["-lv", "rawtracepoint:sched_switch"]).slice(1).map((l) => l.trim());
    expect(kernel.rawTracepointArgs("sched_switch")!.map((a) => `${a.type} ${a.name}`)).toEqual(printed);
  });

  it("USDT probes of a program built here", () => {
    const sdt = ["/usr/include/x86_64-linux-gnu/sys/sdt.h", "/usr/include/aarch64-linux-gnu/sys/sdt.h", "/usr/include/sys/sdt.h"].some((p) => existsSync(p));
    if (!sdt) {
      console.warn("SKIPPED USDT oracle check: sys/sdt.h missing (apt-get install -y systemtap-sdt-dev)");
      return;
    }
    const dir = tempDir("usdt-oracle");
    writeFileSync(join(dir, "p.c"), '#include <sys/sdt.h>\nint main(int argc, char **argv) { DTRACE_PROBE1(shop, checkout, argc); DTRACE_PROBE(shop, opened); return 0; }\n');
    execFileSync("gcc", ["-O1", "-o", join(dir, "p"), join(dir, "p.c")]);
    const r = new Userspace().usdtProbes(join(dir, "p"));
    if (!r.ok) throw new Error(r.reason);
    const ours = r.probes.map((p) => `usdt:${join(dir, "p")}:${p.provider}:${p.name}`).sort();
    expect(ours).toEqual(list(`usdt:${join(dir, "p")}:*`).sort());
  });
});
