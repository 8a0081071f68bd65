import { createMachine, machineFromFacts } from "@bt/system";
import { describe, expect, it } from "vitest";
import { completeAttachPoint } from "./attach-point-completion.ts";

const machine = machineFromFacts({
  kernelFunctions: ["vfs_read", "vfs_write", "ext2_fill_super"],
  modules: { ext4: ["ext4_file_open", "ext4_file_write_iter", "ext4_sync_fs"], xfs: ["xfs_iread"] },
  rawTracepoints: {
    "vmlinux:sched_switch": [["preempt", "bool"], ["prev", "struct task_struct *"], ["next", "struct task_struct *"], ["prev_state", "unsigned int"]],
    "vmlinux:sched_wakeup": [["p", "struct task_struct *"]],
    "ext4:ext4_sync_fs": [["sb", "struct super_block *"], ["wait", "int"]],
  },
});

/** Completion of the attach point `text` (the cursor at its end), as [label, kind, detail, replaced range start]. */
function complete(text: string, m = machine) {
  const list = completeAttachPoint(m, { text, rangeFrom: (from) => ({ start: { line: 0, character: from }, end: { line: 0, character: text.length } }) });
  return list.items.map((i) => [i.label, i.kind, i.detail, i.textEdit && "range" in i.textEdit ? i.textEdit.range.start.character : undefined]);
}

describe("attach point completion: modules and raw tracepoints", () => {
  it("offers modules beside functions after kprobe:, then a module's own functions after kprobe:MODULE:", () => {
    expect(complete("kprobe:ext")).toEqual([
      ["ext4", 9, "kernel module", 7],
      ["ext2_fill_super", 3, undefined, 7],
      ["ext4_file_open", 3, undefined, 7],
      ["ext4_file_write_iter", 3, undefined, 7],
      ["ext4_sync_fs", 3, undefined, 7],
    ]);
    expect(complete("kprobe:ext4:ext4_file_")).toEqual([
      ["ext4_file_open", 3, undefined, 12],
      ["ext4_file_write_iter", 3, undefined, 12],
    ]);
    expect(complete("kretprobe:vmlinux:vfs_")).toEqual([
      ["vfs_read", 3, undefined, 18],
      ["vfs_write", 3, undefined, 18],
    ]);
    expect(complete("kprobe:nfs:")).toEqual([]);
    expect(complete("fentry:ext4:ext4_s")).toEqual([["ext4_sync_fs", 3, undefined, 12]]);
    expect(complete("fexit:ext").map((i) => i[0])).toEqual(["ext4", "ext2_fill_super", "ext4_file_open", "ext4_file_write_iter", "ext4_sync_fs"]);
  });

  it("offers raw tracepoints with their args, and modules, after rawtracepoint: and rawtracepoint:MODULE:", () => {
    expect(complete("rawtracepoint:sched_s")).toEqual([["sched_switch", 23, "args: bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state", 14]]);
    expect(complete("rt:ext").map((i) => i[0])).toEqual(["ext4", "ext4_sync_fs"]);
    expect(complete("rawtracepoint:ext4:")).toEqual([["ext4_sync_fs", 23, "args: struct super_block *sb, int wait", 19]]);
    expect(complete("rawtracepoint:vmlinux:sched_")).toEqual([
      ["sched_switch", 23, "args: bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state", 22],
      ["sched_wakeup", 23, "args: struct task_struct *p", 22],
    ]);
  });
});

const real = createMachine();
const haveBtf = real.hasKernelTypes();
if (!haveBtf) console.warn("SKIPPED real raw tracepoint completion: no readable /sys/kernel/btf/vmlinux");

describe.skipIf(!haveBtf)("attach point completion on this machine", () => {
  it("completes raw tracepoints from this kernel's BTF and vmlinux's own functions", () => {
    const switches = complete("rawtracepoint:sched_swi", real);
    expect(switches.map((i) => i[0])).toContain("sched_switch");
    expect(switches.find((i) => i[0] === "sched_switch")?.[2]).toBe("args: bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state");
    expect(complete("kprobe:vmlinux:vfs_rea", real).map((i) => i[0])).toContain("vfs_read");
  });
});
