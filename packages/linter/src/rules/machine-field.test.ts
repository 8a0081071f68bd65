import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMachine } from "@bt/system";
import { describe, expect, it } from "vitest";
import { lintText } from "../lint.ts";
import { RuleTester } from "../rule-tester.ts";
import { fixtureMachine } from "./machine-fixture.ts";
import rule from "./machine-field.ts";

new RuleTester({ machine: fixtureMachine }).run("machine-field", rule, {
  valid: [
    'tracepoint:syscalls:sys_enter_openat { printf("%s\\n", str(args.filename)); }',
    "tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_open { @[str(args.filename)] = count(); }",
    "kprobe:vfs_read { @[curtask->pid, curtask->comm] = count(); }",
    "kprobe:vfs_read { @ = curtask->mm->total_vm; }",
    "kprobe:vfs_read { @ = curtask->real_parent->real_parent->pid; }",
    "kprobe:vfs_read { @ = ((struct task_struct *)curtask)->tgid; }",
    "fentry:vfs_read { @ = args.count; }",
    "rawtracepoint:sched_switch { @ = args.prev->pid; }",
    "rawtracepoint:ext4:ext4_sync_fs { @ = args.wait; }",
    "fentry:vfs_read { @ = args.file->f_inode->i_ino; }",
    "fentry:vfs_open { @ = args.path->dentry; }",
    "uprobe:/opt/app/addressbook:cpp:AddressBook::AddContact { @[args.age] = count(); }",
    'uprobe:/opt/app/addressbook:cpp:"AddressBook::AddContact" { printf("%p\\n", args.this); }',
    { code: "tracepoint:syscalls:sys_enter_* { @ = args.filenme; }", name: "wildcard tracepoints are not checked" },
    { code: "tracepoint:syscalls:sys_enter_openat, kprobe:vfs_read { @ = args.anything; }", name: "an attach point with unknown arguments stops the args check" },
    { code: "kprobe:vfs_read { @ = ((struct unknown_struct *)arg0)->x; }", name: "unknown structs are not checked" },
    { code: "kprobe:vfs_read { $t = curtask; $m = $t->mm; @ = $m->total_vm; }", name: "fields through variables the type checker typed" },
    { code: "kprobe:vfs_read { $t = (uint64)arg0; @ = $t; }", name: "a variable that is not a struct" },
    { code: 'struct task_struct { int x; }\nBEGIN { printf("%d\\n", curtask->x); exit(); }', name: "a struct the program defines replaces the kernel's" },
  ],
  invalid: [
    {
      code: "tracepoint:syscalls:sys_enter_openat { @ = str(args.filenme); }",
      errors: [
        {
          message: "`args.filenme`: `tracepoint:syscalls:sys_enter_openat` has no argument `filenme` on this machine. Did you mean `args.filename`? It has: __syscall_nr, dfd, filename, flags, mode.",
          line: 1,
          column: 53,
          endLine: 1,
          endColumn: 60,
        },
      ],
      output: null,
    },
    {
      code: "tracepoint:syscalls:sys_enter_openat { @[args.common_pid] = count(); }",
      name: "common fields exist in the format file but BPF may not read them (bpftrace 0.23, 0.27)",
      errors: [{ messageId: "common", line: 1, column: 47, endLine: 1, endColumn: 57 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read { @ = curtask->pidd; }",
      errors: [{ message: "`struct task_struct` has no field `pidd` on this machine. Did you mean `pid`? Its fields: pid, tgid, comm, mm, real_parent, files.", line: 1, column: 32, endLine: 1, endColumn: 36 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read { @ = curtask->mm->pgdd; }",
      errors: [{ message: /^`struct mm_struct` has no field `pgdd`.*Did you mean `pgd`\?/, line: 1, column: 36, endLine: 1, endColumn: 40 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read { @ = ((struct file *)arg0)->f_inod; }",
      errors: [{ message: /^`struct file` has no field `f_inod`.*Did you mean `f_inode`\?/, line: 1, column: 46, endLine: 1, endColumn: 52 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read { $t = curtask; $m = $t->mm; @ = $m->total_vmm; }",
      name: "through variables, whose types the type checker inferred",
      errors: [{ message: "`struct mm_struct` has no field `total_vmm` on this machine. Did you mean `total_vm`? Its fields: pgd, total_vm.", line: 1, column: 54, endLine: 1, endColumn: 63 }],
      output: null,
    },
    {
      code: "rawtracepoint:vmlinux:sched_switch { @ = args.prevv; }",
      errors: [{ message: "`args.prevv`: `rawtracepoint:vmlinux:sched_switch` has no argument `prevv` on this machine. Did you mean `args.prev`? It has: preempt, prev, next, prev_state.", line: 1, column: 47, endLine: 1, endColumn: 52 }],
      output: null,
    },
    {
      code: "rawtracepoint:sched_switch { @ = args.prev->pidd; }",
      errors: [{ message: /^`struct task_struct` has no field `pidd` on this machine\. Did you mean `pid`\?/, line: 1, column: 45, endLine: 1, endColumn: 49 }],
      output: null,
    },
    {
      code: "fentry:vfs_read { @ = args.cnt; }",
      errors: [{ message: /^`args.cnt`: `fentry:vfs_read` has no argument `cnt`.*It has: file, buf, count, pos\.$/, line: 1, column: 28, endLine: 1, endColumn: 31 }],
      output: null,
    },
    {
      code: "fentry:vfs_read { @ = args.file->f_paht; }",
      errors: [{ message: /^`struct file` has no field `f_paht`.*Did you mean `f_path`\?/, line: 1, column: 34, endLine: 1, endColumn: 40 }],
      output: null,
    },
    {
      code: 'uprobe:/opt/app/addressbook:cpp:"AddressBook::AddContact" { printf("%s\\n", args.firstname); }',
      errors: [{ message: /^`args.firstname`: .* Did you mean `args.firstName`\? It has: this, firstName, lastName, age\.$/, line: 1, column: 81, endLine: 1, endColumn: 90 }],
      output: null,
    },
    {
      code: "tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_exit_openat { @ = args.filename; }",
      name: "a field missing from one of several tracepoints",
      errors: [{ message: /^`args.filename`: `tracepoint:syscalls:sys_exit_openat` has no argument `filename`/, line: 1, column: 86, endLine: 1, endColumn: 94 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read /curtask->tgidd == 1/ { exit(); }",
      name: "predicates are checked too",
      errors: [{ messageId: "struct", line: 1, column: 27, endLine: 1, endColumn: 32 }],
      output: null,
    },
  ],
});

describe("machine-field with a program built here (DWARF through readelf)", () => {
  let haveGcc = true;
  try {
    execFileSync("gcc", ["--version"], { stdio: "ignore" });
    execFileSync("readelf", ["--version"], { stdio: "ignore" });
  } catch {
    haveGcc = false;
    console.warn("SKIPPED machine-field DWARF test: gcc or readelf (binutils) is not installed");
  }
  it.skipIf(!haveGcc)("knows a C function's parameters, as bpftrace 0.27 does (`Can't find function parameter c`)", () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-machine-field-"));
    try {
      writeFileSync(join(dir, "p.c"), "__attribute__((noinline)) int add_numbers(int a, int b) { return a + b; }\nint main(int argc, char **argv) { return add_numbers(argc, 2); }\n");
      execFileSync("gcc", ["-g", "-O0", "-o", join(dir, "p"), join(dir, "p.c")]);
      const bin = join(dir, "p");
      const lint = (code: string) => lintText(code, { machine: createMachine() }).findings.filter((f) => f.ruleId === "machine-field").map((f) => f.message);
      expect(lint(`uprobe:${bin}:add_numbers { @ = args.a + args.b; }`)).toEqual([]);
      expect(lint(`uprobe:${bin}:add_numbers { @ = args.c; }`)).toEqual([`\`args.c\`: \`uprobe:${bin}:add_numbers\` has no argument \`c\` on this machine. Did you mean \`args.a\` or \`args.b\`? It has: a, b.`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
