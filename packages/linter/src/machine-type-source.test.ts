import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, walk, type Expression, type Node } from "@bt/parser";
import { buildModel, typeName, type BtType } from "@bt/semantic";
import { createMachine, machineFromFacts } from "@bt/system";
import { afterAll, describe, expect, it } from "vitest";
import { lintText } from "./lint.ts";
import { cTypeToBtType, machineTypeSource } from "./machine-type-source.ts";
import { fixtureMachine } from "./rules/machine-fixture.ts";

const flat = { charSigned: false, struct: (tag: "struct" | "union", name: string): BtType => ({ k: "struct", tag, name }) };

describe("cTypeToBtType", () => {
  it.each([
    ["int", "int32"],
    ["long unsigned int", "uint64"],
    ["const char *", "uint8 *"],
    ["char[16]", "string[16]"],
    ["unsigned char[6]", "string[6]"],
    ["pid_t", "int32"],
    ["size_t", "uint64"],
    ["struct file *", "struct file *"],
    ["const struct path *", "struct path *"],
    ["u32[4]", "uint32[4]"],
    ["struct list_head *[2]", "struct list_head *[2]"],
    ["ssize_t (*)(struct file *, char *, size_t, loff_t *)", "unknown *"],
    ["__data_loc char[]", "int64"],
    ["pgd_t *", "unknown *"],
    ["void *", "void *"],
    ["const std::string &", "unknown *"],
  ])("%s → %s", (c, bt) => {
    expect(typeName(cTypeToBtType(c, flat))).toBe(bt);
  });
  it("char is signed in user space and unsigned in the kernel", () => {
    expect(typeName(cTypeToBtType("char *", { ...flat, charSigned: true }))).toBe("int8 *");
    expect(typeName(cTypeToBtType("char *", flat))).toBe("uint8 *");
  });
});

/** The type the checker gives the first expression whose source text is `text`. */
function typeAt(code: string, text: string, machine = fixtureMachine, target = "0.27"): string {
  const { ast } = parse(code, { target });
  const model = buildModel(ast, target, machineTypeSource(machine));
  let found: Node | undefined;
  walk(ast, (n) => {
    if (!found && "range" in n && code.slice(n.range.start.offset, n.range.end.offset) === text && n.type !== "ExpressionStatement") found = n;
    return !found;
  });
  if (!found) throw new Error(`no expression \`${text}\` in ${code}`);
  return typeName(model.types.typeOf(found as Expression));
}

describe("machine type source on facts", () => {
  it("types curtask, its fields and nested structs from the kernel's structs", () => {
    expect(typeAt("kprobe:vfs_read { @ = curtask->pid; }", "curtask")).toBe("struct task_struct *");
    expect(typeAt("kprobe:vfs_read { @ = curtask->pid; }", "curtask->pid")).toBe("int32");
    expect(typeAt("kprobe:vfs_read { @ = curtask->comm; }", "curtask->comm")).toBe("string[16]");
    expect(typeAt("kprobe:vfs_read { @ = curtask->mm->total_vm; }", "curtask->mm->total_vm")).toBe("uint64");
    expect(typeAt("kprobe:vfs_read { @ = curtask->real_parent->real_parent->pid; }", "curtask->real_parent->real_parent->pid")).toBe("int32");
  });
  it("types args of fentry from BTF parameters, and retval of fexit from the return type", () => {
    expect(typeAt("fentry:vfs_read { @ = args.count; }", "args.count")).toBe("uint64");
    expect(typeAt("fentry:vfs_read { @ = args.file->f_inode->i_size; }", "args.file->f_inode->i_size")).toBe("int64");
    expect(typeAt("fexit:vfs_read { @ = retval; }", "retval")).toBe("int64");
    expect(typeAt("fexit:vfs_open { @ = retval; }", "retval")).toBe("int32");
  });
  it("leaves retval of a uretprobe to the language data (bpftrace 0.27 types it uint64, not by DWARF)", () => {
    expect(typeAt("uretprobe:/opt/app/addressbook:add_numbers { @ = retval; }", "retval")).toBe("unknown");
  });
  it("types casts to kernel structs the script does not define", () => {
    expect(typeAt("kprobe:vfs_read { @ = ((struct file *)arg0)->f_flags; }", "((struct file *)arg0)->f_flags")).toBe("uint32");
    expect(typeAt("struct file { int x; }\nkprobe:vfs_read { @ = ((struct file *)arg0)->x; }", "((struct file *)arg0)->x")).toBe("int32");
  });
  it("types raw tracepoint args from BTF, bool as bpftrace's bool", () => {
    expect(typeAt("rawtracepoint:sched_switch { @ = args.preempt; }", "args.preempt")).toBe("bool");
    expect(typeAt("rawtracepoint:vmlinux:sched_switch { @ = args.prev->pid; }", "args.prev->pid")).toBe("int32");
    expect(typeAt("rawtracepoint:ext4:ext4_sync_fs { @ = args.wait; }", "args.wait")).toBe("int32");
    expect(typeAt("rawtracepoint:*:sched_switch { @ = args.preempt; }", "args.preempt")).toBe("unknown");
  });
  it("types a typedef by what it names: a named struct, bool, an integer; an anonymous struct stays unknown", () => {
    const machine = machineFromFacts({
      structs: { task_struct: [["usage", "refcount_t"], ["ready", "bool"], ["flags", "my_flags_t"], ["ref", "file_ref_t"]], refcount_struct: [["refs", "atomic_t"]] },
      typedefs: { refcount_t: "struct refcount_struct", bool: "_Bool", my_flags_t: "long unsigned int", file_ref_t: "struct (anonymous)" },
    });
    expect(typeAt("BEGIN { @ = curtask->usage; }", "curtask->usage", machine)).toBe("struct refcount_struct");
    expect(typeAt("BEGIN { @ = curtask->ready; }", "curtask->ready", machine)).toBe("bool");
    expect(typeAt("BEGIN { @ = curtask->flags; }", "curtask->flags", machine)).toBe("uint64");
    expect(typeAt("BEGIN { @ = curtask->ref; }", "curtask->ref", machine)).toBe("unknown");
    expect(typeAt("BEGIN { @ = ((refcount_t *)0)->refs; }", "((refcount_t *)0)", machine)).toBe("struct refcount_struct *");
  });
  it("asks the machine once per kernel attach point, type and enumerator, and user space's parameters each time", () => {
    const asked: string[] = [];
    const counting = new Proxy(fixtureMachine, {
      get(machine, key, receiver) {
        const value = Reflect.get(machine, key, receiver);
        if (typeof value !== "function" || !["tracepointFields", "kernelFunction", "functionParameters", "kernelType", "kernelEnumValue", "hasKernelTypes"].includes(String(key))) return value;
        return (...args: unknown[]) => (asked.push(String(key)), value.apply(machine, args));
      },
    });
    const source = machineTypeSource(counting);
    for (let i = 0; i < 3; i++) {
      expect(source.probeArgs!("fentry:vfs_read")).toBe(source.probeArgs!("fentry:vfs_read"));
      expect(typeName(source.probeRetval!("fexit:vfs_read")!)).toBe("int64");
      source.probeArgs!("tracepoint:syscalls:sys_enter_openat");
      expect(typeName(source.probeArgs!("uprobe:/opt/app/addressbook:add_numbers")!)).toBe("record { .a = int32, .b = int32 }");
      expect(typeName(source.namedType!("struct", "file")!)).toBe("struct file");
      expect(source.namedType!("struct", "no_such_struct")).toBeUndefined();
      expect([source.kernelTypeExists!("struct", "file"), source.kernelTypeExists!(undefined, "no_such_type")]).toEqual([true, false]);
      expect([source.kernelEnumValueExists!("TASK_RUNNING"), source.kernelEnumValueExists!("NO_SUCH_VALUE")]).toEqual([true, false]);
    }
    const kernelTypes = ["kernelType", "kernelEnumValue", "hasKernelTypes"];
    expect(asked.filter((f) => !kernelTypes.includes(f))).toEqual(["kernelFunction", "kernelFunction", "tracepointFields", "functionParameters", "functionParameters", "functionParameters"]);
    // Each type's and enumerator's existence once, and whether the machine knows the kernel's types whole (the fields of `struct file` are read when a field of it is used).
    expect(asked.filter((f) => kernelTypes.includes(f))).toEqual(["kernelType", "kernelType", "hasKernelTypes", "kernelType", "kernelEnumValue", "kernelEnumValue"]);
  });

  it("types uprobe args from DWARF parameters", () => {
    expect(typeAt("uprobe:/opt/app/addressbook:add_numbers { @ = args.a; }", "args.a")).toBe("int32");
  });
  it("leaves args unknown when the attach points disagree or are wildcards", () => {
    expect(typeAt("tracepoint:syscalls:sys_enter_openat, kprobe:vfs_read { @ = args.flags; }", "args.flags")).toBe("unknown");
    expect(typeAt("tracepoint:syscalls:sys_enter_open* { @ = args.flags; }", "args.flags")).toBe("unknown");
  });

  const only = (code: string, machine = true) =>
    lintText(code, { target: "0.27", ...(machine ? { machine: fixtureMachine } : {}) })
      .findings.filter((f) => f.severity === "error")
      .map((f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.column}-${f.range.end.column} ${f.message}`);

  it("with a machine, a kernel field's type meets the type checker; without one it is unknown", () => {
    const code = 'kprobe:vfs_read { $p = curtask->pid; $p = "x"; }';
    expect(only(code, false)).toEqual([]);
    expect(only(code)).toEqual(["variable-type-mismatch 1:43-46 `$p` holds values of type int32; a value of type string[2] cannot be assigned to it. Use a new variable for this value."]);
  });
  it("a missing field reached through a variable is reported once, by machine-field with the real fields", () => {
    expect(only("kprobe:vfs_read { $t = curtask; @ = $t->pidd; }")).toEqual([
      "machine-field 1:41-45 `struct task_struct` has no field `pidd` on this machine. Did you mean `pid`? Its fields: pid, tgid, comm, mm, real_parent, files.",
    ]);
    expect(only("kprobe:vfs_read { @ = curtask->pidd; }").map((f) => f.split(" ")[0])).toEqual(["machine-field"]);
  });
});

describe("what exists in the kernel", () => {
  const whole = machineTypeSource(machineFromFacts({ structs: { task_struct: [["pid", "pid_t"]] }, typedefs: { pid_t: "int" }, enumValues: { BPF_MAP_TYPE_HASH: 1 } }));
  it("is answered by a machine that knows the kernel's types whole", () => {
    expect([whole.kernelTypeExists!("struct", "task_struct"), whole.kernelTypeExists!(undefined, "task_struct"), whole.kernelTypeExists!(undefined, "pid_t")]).toEqual([true, true, true]);
    expect([whole.kernelTypeExists!("struct", "faketype"), whole.kernelTypeExists!(undefined, "faketype")]).toEqual([false, false]);
    expect([whole.kernelEnumValueExists!("BPF_MAP_TYPE_HASH"), whole.kernelEnumValueExists!("nonsense")]).toEqual([true, false]);
  });
  it("is not answered by one that knows only some types, nor by one without BTF", () => {
    for (const facts of [{ structs: { task_struct: [["pid", "pid_t"]] as [string, string][] } }, { enumValues: { BPF_MAP_TYPE_HASH: 1 } }]) {
      const some = machineTypeSource(machineFromFacts(facts));
      expect([some.kernelTypeExists!("struct", "faketype"), some.kernelEnumValueExists!("nonsense")]).toEqual([undefined, undefined]);
    }
  });
  it("makes names that exist nowhere errors in bt-lint, and leaves them alone without a machine", () => {
    const code = "kprobe:f { $a = nonsense; $b = BPF_MAP_TYPE_HASH; $c = (struct faketype *)0; $d = (struct task_struct *)0; }";
    const errors = (options: Parameters<typeof lintText>[1]) =>
      lintText(code, { target: "0.27", ...options }).findings.filter((f) => f.severity === "error").map((f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.column} ${f.message}`);
    expect(errors({ typeSource: whole })).toEqual([
      "unknown-name 1:17 `nonsense` is no builtin and no enum value, neither of the script nor of the kernel's BTF. Check the spelling, or define it in an `enum`.",
      "unknown-name 1:57 No type `struct faketype` exists, neither in the script nor in the kernel's BTF. Check the spelling, or define it in the script.",
    ]);
    expect(errors({})).toEqual([]);
  });
});

/** Whether this machine's kernel types and tracepoint formats can be read. */
const realMachine = createMachine();
const hasBtf = realMachine.hasKernelTypes();
const hasTracefs = hasBtf && realMachine.tracepointFields("syscalls", "sys_enter_openat") !== undefined;
if (!hasBtf) console.warn("machine-type-source: no kernel BTF (/sys/kernel/btf/vmlinux) — skipping the real-kernel tests");
else if (!hasTracefs) console.warn("machine-type-source: tracefs is not readable (needs root) — skipping the tracepoint tests");

describe.skipIf(!hasBtf)("machine type source on this machine's kernel", () => {
  it("curtask->pid is an int32 and curtask->comm a string[16] (BTF)", () => {
    expect(typeAt("BEGIN { @ = curtask->pid; }", "curtask->pid", realMachine)).toBe("int32");
    expect(typeAt("BEGIN { @ = curtask->comm; }", "curtask->comm", realMachine)).toBe("string[16]");
  });
  it("knows which kernel types and enum values exist (BTF of vmlinux and modules)", () => {
    const source = machineTypeSource(realMachine);
    expect([source.kernelEnumValueExists!("BPF_MAP_TYPE_HASH"), source.kernelEnumValueExists!("nonsense")]).toEqual([true, false]);
    expect([source.kernelTypeExists!("struct", "task_struct"), source.kernelTypeExists!("union", "bpf_attr"), source.kernelTypeExists!("enum", "bpf_map_type")]).toEqual([true, true, true]);
    expect([source.kernelTypeExists!("struct", "faketype"), source.kernelTypeExists!(undefined, "__passident__")]).toEqual([false, false]);
  });
  it("a cast to struct sock reaches fields through its embedded struct sock_common", () => {
    expect(typeAt("kprobe:tcp_sendmsg { $sk = (struct sock *)arg0; @ = $sk->__sk_common.skc_family; }", "$sk->__sk_common.skc_family", realMachine)).toBe("uint16");
  });
  it.skipIf(!hasTracefs)("args.filename of sys_enter_openat is a const char * (uint8 * for bpftrace, the kernel's char being unsigned)", () => {
    expect(typeAt("tracepoint:syscalls:sys_enter_openat { @ = args.filename; }", "args.filename", realMachine)).toBe("uint8 *");
    expect(typeAt("tracepoint:syscalls:sys_enter_openat { @ = args.dfd; }", "args.dfd", realMachine)).toBe("uint64");
    expect(typeAt("tracepoint:sched:sched_switch { @ = args.prev_pid; }", "args.prev_pid", realMachine)).toBe("int32");
  });
});

/**
 * Verdicts of the real bpftrace 0.27 type checker (`/work/shared/oracle/semantic-verdict`) beside
 * bt-lint's with this machine: both refuse, or both accept.
 */
const ORACLE = "/work/shared/oracle/semantic-verdict";
const isRoot = process.getuid?.() === 0;
const canAsk = hasTracefs && isRoot && existsSync(ORACLE) && existsSync("/usr/local/bin/bpftrace-0.27");
if (!canAsk) console.warn(`machine-type-source: skipping the bpftrace 0.27 comparison (${!isRoot ? "not root" : !existsSync(ORACLE) ? `${ORACLE} missing` : "no bpftrace-0.27 or tracefs"})`);
const scratch = canAsk ? mkdtempSync(join(tmpdir(), "bt-type-source-")) : "";
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A C function with DWARF, for uprobe `args` (g++ -g). */
function buildWithDebug(): string | undefined {
  if (!scratch) return undefined;
  try {
    execFileSync("g++", ["--version"], { stdio: "ignore" });
  } catch {
    console.warn("machine-type-source: g++ not found — skipping the uprobe comparison");
    return undefined;
  }
  const src = join(scratch, "adder.c");
  writeFileSync(src, "__attribute__((noinline)) int add_numbers(int a, int b) { return a + b; }\nint main(int argc, char **argv) { return add_numbers(argc, 1) > 100; }\n");
  execFileSync("g++", ["-x", "c", "-O0", "-g", "-o", join(scratch, "adder"), src]);
  return join(scratch, "adder");
}
const adder = buildWithDebug();

describe.skipIf(!canAsk)("types agree with bpftrace 0.27 on this machine", () => {
  const verdict = (code: string) => {
    const file = join(scratch, "p.bt");
    writeFileSync(file, code);
    return execFileSync(ORACLE, ["--release", "0.27", file], { encoding: "utf8", timeout: 60_000 }).split("\n")[0].split("\t");
  };
  const btErrors = (code: string) => lintText(code, { target: "0.27", machine: realMachine }).findings.filter((f) => f.severity === "error");
  it.each([
    ['BEGIN { $p = curtask->pid; $p = "x"; }', "error", "variable-type-mismatch", 1, 9],
    ["tracepoint:sched:sched_switch { $c = args.prev_comm; $c = 1; }", "error", "variable-type-mismatch", 1, 33],
    ['tracepoint:syscalls:sys_enter_openat { $x = args.filename; $x = "abc"; }', "error", "variable-type-mismatch", 1, 40],
    ['fexit:vfs_read { $r = retval; $r = "x"; }', "error", "variable-type-mismatch", 1, 18],
    ["BEGIN { $p = curtask->pid; $p = 7; @ = $p; }", "ok", undefined, 0, 0],
    ['tracepoint:sched:sched_process_exec { $f = args.filename; $f = "x"; }', "error", "variable-type-mismatch", 1, 38],
    ['BEGIN { $s = curtask->stack; $s = "x"; }', "error", "variable-type-mismatch", 1, 9],
    ["tracepoint:syscalls:sys_enter_openat { $f = args.filename; $f = args.filename; @[str($f)] = count(); }", "ok", undefined, 0, 0],
    ['BEGIN { $u = curtask->usage; $u = "x"; }', "error", "variable-type-mismatch", 1, 9],
    ['rawtracepoint:sched_switch { $x = args.preempt; $x = "s"; }', "error", "variable-type-mismatch", 1, 30],
    ['rawtracepoint:sched_switch { $p = args.prev->pid; $p = "x"; }', "error", "variable-type-mismatch", 1, 30],
    ["rawtracepoint:vmlinux:sched_switch { $p = args.prevv; }", "error", "machine-field", 1, 43],
    ...(adder
      ? ([
          [`uprobe:${adder}:add_numbers { $a = args.a; $a = "x"; }`, "error", "variable-type-mismatch", 1, 0],
          [`uprobe:${adder}:add_numbers { $a = args.a; $a = -5; @ = $a; }`, "ok", undefined, 0, 0],
        ] as const)
      : []),
  ] as const)("%s → %s", (code, expected, ruleId, line, _column) => {
    const [kind, place] = verdict(code);
    expect(kind).toBe(expected);
    const ours = btErrors(code);
    if (expected === "ok") expect(ours.map((f) => f.message)).toEqual([]);
    else {
      expect(place?.split(":")[0]).toBe(String(line));
      expect(ours.map((f) => [f.ruleId, f.range.start.line])).toEqual([[ruleId, line]]);
    }
  });
});
