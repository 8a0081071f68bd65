import { accessSync, constants } from "node:fs";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { createMachine, machineFromFacts } from "./machine.ts";
import { tempDir } from "./test-dirs.ts";
import { runTool } from "./tool.ts";

describe("machineFromFacts", () => {
  const m = machineFromFacts({
    kernelFunctions: ["vfs_read"],
    tracepoints: { "sched:sched_switch": [["prev_pid", "pid_t"]] },
    structs: { task_struct: [["pid", "pid_t"]] },
    binaries: { "/x": { functions: ["main"], usdt: ["p:q"], parameters: { main: [["argc", "int"]] } } },
    aliases: { x: "/x" },
  });
  it("answers like a machine", () => {
    expect(m.kernelFunctions().names.has("vfs_read")).toBe(true);
    expect(m.kernelFunctions().partial).toBe(false);
    expect(m.tracepoints().names.names).toEqual(["sched:sched_switch"]);
    expect(m.tracepointFields("sched", "sched_switch")?.map((f) => f.name)).toEqual(["prev_pid"]);
    expect(m.structFields("struct task_struct")?.map((f) => f.name)).toEqual(["pid"]);
    expect(m.kernelType("task_struct")?.kind).toBe("struct");
    expect(m.resolveBinary("x")).toMatchObject({ ok: true, path: "/x" });
    expect(m.resolveBinary("y").ok).toBe(false);
    const u = m.usdtProbes("/x");
    expect(u.ok && u.probes.map((p) => `${p.provider}:${p.name}`)).toEqual(["p:q"]);
    const p = m.functionParameters("/x", "main");
    expect(p.ok && p.function.params.map((x) => x.name)).toEqual(["argc"]);
  });
  it("answers kprobe:MODULE:func and raw tracepoint questions from facts", () => {
    const k = machineFromFacts({
      kernelFunctions: ["vfs_read"],
      modules: { ext4: ["ext4_file_open"] },
      rawTracepoints: { "vmlinux:sched_switch": [["preempt", "bool"]], "ext4:ext4_sync_fs": [["sb", "struct super_block *"]] },
    });
    expect(k.kernelFunctions().names.names).toEqual(["ext4_file_open", "vfs_read"]);
    expect(k.kernelFunctions("ext4").names.names).toEqual(["ext4_file_open"]);
    expect(k.kernelFunctions("vmlinux").names.names).toEqual(["vfs_read"]);
    expect(k.kernelFunctions("nfs")).toMatchObject({ partial: false, names: { size: 0 } });
    expect(k.kernelModules().names.names).toEqual(["ext4", "vmlinux"]);
    expect(k.rawTracepoints().names.names).toEqual(["ext4_sync_fs", "sched_switch"]);
    expect(k.rawTracepoints("ext4").names.names).toEqual(["ext4_sync_fs"]);
    expect(k.rawTracepointArgs("sched_switch")).toEqual([{ name: "preempt", type: "bool" }]);
    expect(k.rawTracepointArgs("sched_switch", "ext4")).toBeUndefined();
  });
  it("marks lists it was not given as partial", () => {
    expect(machineFromFacts({}).kernelFunctions().partial).toBe(true);
    expect(machineFromFacts({}).tracepoints().partial).toBe(true);
  });
});

describe("what a machine could not tell", () => {
  it("lists partial sources once they were consulted, and programs that are not installed", () => {
    const empty = tempDir("empty-machine");
    const m = createMachine({ kernel: { btfDir: join(empty, "btf"), tracefsDirs: [join(empty, "tracing")], kallsyms: join(empty, "kallsyms") } });
    expect(m.problems()).toEqual([]);
    expect(m.kernelFunctions().partial).toBe(true);
    expect(m.tracepoints().partial).toBe(true);
    const problems = m.problems();
    expect(problems[0]).toMatch(/^kernel functions: no source readable .*ENOENT.*; absent names are not reported$/);
    expect(problems[1]).toMatch(/^tracepoints: no source readable/);
    const r = runTool("bt-no-such-program-for-tests", []);
    expect(r).toEqual({ ok: false, reason: "`bt-no-such-program-for-tests` is not installed (binutils): this feature is off" });
    expect(m.problems()).toContain("`bt-no-such-program-for-tests` is not installed (binutils): this feature is off");
  });
});

let haveBtf = true;
try {
  accessSync("/sys/kernel/btf/vmlinux", constants.R_OK);
} catch {
  haveBtf = false;
  console.warn("SKIPPED createMachine test: /sys/kernel/btf/vmlinux is not readable");
}

describe.skipIf(!haveBtf)("createMachine on this machine", () => {
  const m = createMachine();
  it("knows kernel functions, fentry targets, signatures and types, and says where they came from", () => {
    const k = m.kernelFunctions();
    expect(k.names.has("vfs_read")).toBe(true);
    expect(k.note).toMatch(/^from /);
    expect(m.btfFunctions().names.has("vfs_read")).toBe(true);
    expect(m.kernelFunction("vfs_read")?.params.map((p) => p.name)).toEqual(["file", "buf", "count", "pos"]);
    expect(m.kernelType("struct task_struct")?.fields.some((f) => f.name === "comm")).toBe(true);
    expect(m.hasKernelTypes()).toBe(true);
  });
  it("knows the kernel's own functions as module vmlinux, and raw tracepoints by module", () => {
    expect(m.kernelModules().names.has("vmlinux")).toBe(true);
    expect(m.kernelFunctions("vmlinux").names.has("vfs_read")).toBe(true);
    expect(m.kernelFunctions("no_such_module").names.size).toBe(0);
    expect(m.rawTracepoints().names.has("sched_switch")).toBe(true);
    expect(m.rawTracepoints("vmlinux").names.has("sched_switch")).toBe(true);
    expect(m.rawTracepoints("no_such_module").names.size).toBe(0);
  });
});
