import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BtfBuilder, smallKernelBtf } from "./btf-fixture.ts";
import { Btf } from "./btf.ts";
import { Kernel, DEFAULT_KERNEL_PATHS, signatureText } from "./kernel.ts";
import { tempDir } from "./test-dirs.ts";
import { parseTracepointFormat } from "./tracefs.ts";

const OPENAT_FORMAT = `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:char comm[16];\toffset:32;\tsize:16;\tsigned:0;
\tfield:__data_loc char[] name;\toffset:48;\tsize:4;\tsigned:0;

print fmt: "filename: 0x%08lx", ((unsigned long)(REC->filename))
`;

/** A machine in a directory: BTF (vmlinux + one module), kallsyms, and optionally tracefs. */
function fakeKernel(opts: { tracefs: boolean; filterFunctions?: boolean }): Kernel {
  const root = tempDir("kernel");
  const btfDir = join(root, "btf");
  mkdirSync(btfDir);
  const vmlinux = smallKernelBtf();
  writeFileSync(join(btfDir, "vmlinux"), vmlinux);
  const base = new Btf(vmlinux);
  const mod = new BtfBuilder({ lastId: base.lastId, stringsEnd: base.stringsEnd });
  mod.func("ext4_file_open", mod.funcProto(1, [["inode", 1]]));
  // A raw tracepoint's stubs as the kernel emits them (`__data` first), and one with 7 parameters, which bpftrace 0.27 lists too.
  const voidPtr = mod.ptr(0);
  mod.func("__probestub_ext4_sync_fs", mod.funcProto(0, [["__data", voidPtr], ["sb", 1], ["wait", 1]]));
  mod.func("__traceiter_ext4_sync_fs", mod.funcProto(1, [["__data", voidPtr], ["sb", 1], ["wait", 1]]));
  mod.func("__probestub_ext4_many", mod.funcProto(0, [["__data", voidPtr], ...Array.from({ length: 6 }, (_, i): [string, number] => [`a${i}`, 1])]));
  writeFileSync(join(btfDir, "ext4"), mod.build());
  writeFileSync(join(root, "kallsyms"), "0000000000000000 T vfs_read\n0000000000000000 t vfs_read_iter.isra.0\n0000000000000000 D some_data\n0000000000000000 t xfs_iread\t[xfs]\n");
  const tracefs = join(root, "tracing");
  if (opts.tracefs) {
    mkdirSync(join(tracefs, "events/syscalls/sys_enter_openat"), { recursive: true });
    mkdirSync(join(tracefs, "events/sched/sched_switch"), { recursive: true });
    writeFileSync(join(tracefs, "events/syscalls/sys_enter_openat/format"), OPENAT_FORMAT);
    writeFileSync(join(tracefs, "events/header_page"), "");
    if (opts.filterFunctions) writeFileSync(join(tracefs, "available_filter_functions"), "vfs_read\ntcp_sendmsg\nxfs_iread [xfs]\n");
  }
  return new Kernel({ btfDir, tracefsDirs: [tracefs, join(root, "debug/tracing")], kallsyms: join(root, "kallsyms") });
}

describe("tracefs format files", () => {
  it("splits declarations into name and type, arrays included", () => {
    const fields = parseTracepointFormat(OPENAT_FORMAT);
    expect(fields.map((f) => [f.name, f.type, f.common])).toEqual([
      ["common_type", "unsigned short", true],
      ["common_pid", "int", true],
      ["__syscall_nr", "int", false],
      ["filename", "const char *", false],
      ["comm", "char[16]", false],
      ["name", "__data_loc char[]", false],
    ]);
    expect(fields[3]).toMatchObject({ offset: 24, size: 8, signed: false });
  });
  it("rejects text that is not a format file", () => {
    expect(() => parseTracepointFormat("hello")).toThrow(/not a tracepoint format/);
  });
});

describe("Kernel on a fake machine", () => {
  it("uses available_filter_functions when readable", () => {
    const k = fakeKernel({ tracefs: true, filterFunctions: true });
    const f = k.functions();
    expect(f.source).toBe("available_filter_functions");
    expect(f.names.names).toEqual(["tcp_sendmsg", "vfs_read", "xfs_iread"]);
    expect(f.moduleOf("xfs_iread")).toBe("xfs");
  });

  it("falls back to BTF (vmlinux and modules) and kallsyms text symbols, and says so", () => {
    const k = fakeKernel({ tracefs: false });
    const f = k.functions();
    expect(f.source).toBe("btf+kallsyms");
    expect(f.note).toMatch(/not readable: .*available_filter_functions: ENOENT/);
    expect(f.names.names).toEqual(["__probestub_ext4_many", "__probestub_ext4_sync_fs", "__traceiter_ext4_sync_fs", "_printk", "ext4_file_open", "vfs_read", "vfs_read_iter.isra.0", "xfs_iread"]);
    expect(f.moduleOf("ext4_file_open")).toBe("ext4");
    expect(f.moduleOf("xfs_iread")).toBe("xfs");
    expect(k.functionSignature("ext4_file_open")).toMatchObject({ module: "ext4", params: [{ name: "inode", type: "int" }] });
  });

  it("lists each module's functions, the kernel's own as module vmlinux (kprobe:MODULE:func)", () => {
    const fromBtf = fakeKernel({ tracefs: false }).functions();
    expect(fromBtf.modules.names).toEqual(["ext4", "vmlinux", "xfs"]);
    expect(fromBtf.inModule("ext4")?.names).toEqual(["__probestub_ext4_many", "__probestub_ext4_sync_fs", "__traceiter_ext4_sync_fs", "ext4_file_open"]);
    expect(fromBtf.inModule("xfs")?.names).toEqual(["xfs_iread"]);
    expect(fromBtf.inModule("vmlinux")?.names).toEqual(["_printk", "vfs_read", "vfs_read_iter.isra.0"]);
    expect(fromBtf.inModule("nfs")).toBeUndefined();
    const k = fakeKernel({ tracefs: false });
    expect(k.btfFunctions("ext4").names).toEqual(["__probestub_ext4_many", "__probestub_ext4_sync_fs", "__traceiter_ext4_sync_fs", "ext4_file_open"]);
    expect(k.btfFunctions("vmlinux").names).toEqual(["_printk", "vfs_read"]);
    expect(k.btfFunctions("xfs").size).toBe(0);
    const fromTracefs = fakeKernel({ tracefs: true, filterFunctions: true }).functions();
    expect(fromTracefs.modules.names).toEqual(["vmlinux", "xfs"]);
    expect(fromTracefs.inModule("xfs")?.names).toEqual(["xfs_iread"]);
    expect(fromTracefs.inModule("vmlinux")?.names).toEqual(["tcp_sendmsg", "vfs_read"]);
  });

  it("finds raw tracepoints in BTF as bpftrace 0.27 does (__probestub_/__traceiter_ FUNCs), args without __data", () => {
    const k = fakeKernel({ tracefs: false });
    const r = k.rawTracepoints();
    expect(r).toMatchObject({ source: "btf", note: `from ${k.paths.btfDir}` });
    expect(r.names.names).toEqual(["ext4:ext4_many", "ext4:ext4_sync_fs"]);
    expect(r.events.names).toEqual(["ext4_many", "ext4_sync_fs"]);
    expect(k.rawTracepointArgs("ext4_sync_fs")).toEqual([
      { name: "sb", type: "int" },
      { name: "wait", type: "int" },
    ]);
    expect(k.rawTracepointArgs("ext4_sync_fs", "ext4")).toHaveLength(2);
    expect(k.rawTracepointArgs("ext4_sync_fs", "vmlinux")).toBeUndefined();
    expect(k.rawTracepointArgs("nope")).toBeUndefined();
    const none = new Kernel({ btfDir: tempDir("nobtf"), tracefsDirs: [], kallsyms: "/nonexistent" }).rawTracepoints();
    expect(none.source).toBe("none");
    expect(none.note).toMatch(/vmlinux does not exist/);
  });

  it("reads tracepoints and their fields from tracefs", () => {
    const k = fakeKernel({ tracefs: true });
    const t = k.tracepoints();
    expect(t).toMatchObject({ source: "tracefs", partial: false });
    expect(t.events.names).toEqual(["sched:sched_switch", "syscalls:sys_enter_openat"]);
    expect(k.tracepointFields("syscalls", "sys_enter_openat")?.map((f) => f.name)).toContain("filename");
    expect(k.tracepointFields("syscalls", "nope")).toBeUndefined();
    expect(k.tracepointFields("../..", "x")).toBeUndefined();
  });

  it("without tracefs, marks the BTF-derived tracepoint list partial", () => {
    const t = fakeKernel({ tracefs: false }).tracepoints();
    expect(t.source).toBe("btf");
    expect(t.partial).toBe(true);
  });

  it("finds structs, unions and typedefs by name, with or without the keyword", () => {
    const k = fakeKernel({ tracefs: false });
    expect(k.structFields("task_struct")?.map((f) => f.name)).toEqual(["pid", "tgid", "flags_word", "comm", "in_iowait", "read_op", "filename"]);
    expect(k.structFields("struct task_struct")).toEqual(k.structFields("task_struct"));
    expect(k.structFields("union task_struct")).toBeUndefined();
    expect(k.structFields("no_such_struct")).toBeUndefined();
    expect(k.type("pid_type")?.kind).toBe("enum");
    expect(k.type("pid_t")).toEqual({ kind: "typedef", name: "pid_t", fields: [], target: "int" });
    expect(k.type("task_struct")?.target).toBeUndefined();
  });

  it("spells a signature as C declares it (hover text)", () => {
    const k = fakeKernel({ tracefs: false });
    expect(signatureText(k.functionSignature("vfs_read")!)).toBe("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)");
    expect(signatureText(k.functionSignature("_printk")!)).toBe("int _printk(const char *fmt, ...)");
    expect(signatureText({ name: "f", returnType: "void *", params: [], variadic: false })).toBe("void *f(void)");
  });

  it("reports a missing vmlinux BTF with the reason", () => {
    const k = new Kernel({ btfDir: tempDir("nobtf"), tracefsDirs: [], kallsyms: "/nonexistent" });
    expect(k.btf()).toBeUndefined();
    expect(k.btfProblem()).toMatch(/does not exist/);
    expect(k.functions()).toMatchObject({ source: "none" });
  });
});

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
const haveBtf = readable("/sys/kernel/btf/vmlinux");
const tracefsDir = DEFAULT_KERNEL_PATHS.tracefsDirs.find((d) => readable(join(d, "events/syscalls/sys_enter_openat/format")));
if (!haveBtf) console.warn("SKIPPED real-kernel function tests: /sys/kernel/btf/vmlinux is not readable");
if (!tracefsDir) console.warn("SKIPPED real tracefs tests: no readable tracefs with syscalls:sys_enter_openat (not root, or tracefs not mounted)");

describe("Kernel on this machine", () => {
  const k = new Kernel();
  it.skipIf(!haveBtf)("knows vfs_read, its parameters, and struct task_struct", () => {
    const f = k.functions();
    expect(f.names.has("vfs_read")).toBe(true);
    expect(f.names.closest("vfs_readx")).toContain("vfs_read");
    expect(k.functionSignature("vfs_read")?.params.map((p) => p.name)).toEqual(["file", "buf", "count", "pos"]);
    expect(k.structFields("task_struct")?.some((x) => x.name === "pid")).toBe(true);
    // Typedefs named through to what they mean: a named struct, the kernel's bool, an integer through two typedefs.
    expect(k.type("refcount_t")?.target).toBe("struct refcount_struct");
    expect(k.type("bool")?.target).toBe("_Bool");
    expect(k.type("size_t")?.target).toBe("long unsigned int");
  });
  it.skipIf(!haveBtf)("knows the raw tracepoint sched_switch of vmlinux and its arguments", () => {
    const r = k.rawTracepoints();
    expect(r.names.has("vmlinux:sched_switch")).toBe(true);
    expect(r.events.has("sched_switch")).toBe(true);
    expect(r.events.has("sched_swich")).toBe(false);
    expect(k.rawTracepointArgs("sched_switch")?.map((p) => `${p.type} ${p.name}`)).toEqual(["bool preempt", "struct task_struct * prev", "struct task_struct * next", "unsigned int prev_state"]);
    expect(k.functions().inModule("vmlinux")?.has("vfs_read")).toBe(true);
  });
  it.skipIf(!tracefsDir)("knows syscalls:sys_enter_openat and its filename field", () => {
    const t = k.tracepoints();
    expect(t.source).toBe("tracefs");
    expect(t.events.has("syscalls:sys_enter_openat")).toBe(true);
    expect(t.events.has("syscalls:sys_enter_opn")).toBe(false);
    expect(k.tracepointFields("syscalls", "sys_enter_openat")?.find((x) => x.name === "filename")?.type).toBe("const char *");
  });
});
