import { machineFromFacts } from "@bt/system";
import { describe, expect, it } from "vitest";
import { lintText } from "../lint.ts";
import { RuleTester } from "../rule-tester.ts";
import { fixtureMachine } from "./machine-fixture.ts";
import rule from "./machine-attach-point.ts";

new RuleTester({ machine: fixtureMachine }).run("machine-attach-point", rule, {
  valid: [
    "kprobe:vfs_read { @ = count(); }",
    "kretprobe:vfs_read { @ = count(); }",
    "fentry:vfs_read { @ = count(); }",
    "kprobe:ext4:ext4_file_open { @ = count(); }",
    "kprobe:vmlinux:vfs_read { @ = count(); }",
    "fentry:ext4:ext4_file_open { @ = count(); }",
    "fexit:vmlinux:vfs_read { @ = count(); }",
    { code: "kprobe:ext*:ext4_file_open { @ = count(); }", name: "a wildcard module: the function is looked up among all" },
    "rawtracepoint:sched_switch { @ = count(); }",
    "rawtracepoint:ext4_sync_fs { @ = count(); }",
    "rawtracepoint:vmlinux:sched_switch { @ = count(); }",
    "rawtracepoint:ext4:ext4_sync_fs { @ = count(); }",
    "tracepoint:syscalls:sys_enter_openat { @ = count(); }",
    "uprobe:/bin/bash:readline { @ = count(); }",
    "uprobe:bash:readline { @ = count(); }",
    "uprobe:libc:malloc { @ = count(); }",
    'uprobe:/opt/app/addressbook:cpp:"AddressBook::AddContact" { @ = count(); }',
    "usdt:/opt/app/addressbook:addressbook:contact_added { @ = count(); }",
    "usdt:/opt/app/addressbook:contact_added { @ = count(); }",
    { code: "kprobe:$1 { @ = count(); }", name: "positional parameters are not checked" },
    { code: "uprobe:./testprogs/app:main { @ = count(); }", name: "relative paths depend on where bpftrace is started" },
    { code: "kprobe:vfs_* { @ = count(); }", name: "wildcards are machine-wildcard's" },
    { code: "kprobe:nope { @ = count(); }", machine: machineFromFacts({}), name: "an unknown (partial) list proves nothing" },
    "BEGIN { exit(); }",
  ],
  invalid: [
    {
      code: "kprobe:vfs_readx { @ = count(); }",
      errors: [{ message: "No kernel function `vfs_readx` on this machine (from facts): bpftrace will fail to attach. Did you mean `vfs_read` or `vfs_readv`?", line: 1, column: 8, endLine: 1, endColumn: 17 }],
      output: null,
    },
    {
      code: "fentry:tcp_recvmsg { @ = count(); }",
      errors: [{ message: /^No kernel function with BTF `tcp_recvmsg`.*Did you mean `tcp_sendmsg`\?$/, line: 1, column: 8, endLine: 1, endColumn: 19 }],
      output: null,
    },
    {
      code: "tracepoint:syscalls:sys_enter_opn { @ = count(); }",
      errors: [{ message: /^No tracepoint `syscalls:sys_enter_opn` .* Did you mean `syscalls:sys_enter_open` or `syscalls:sys_enter_openat`\?$/, line: 1, column: 21, endLine: 1, endColumn: 34 }],
      output: null,
    },
    {
      code: "uprobe:/bin/bash:readlinex { @ = count(); }",
      errors: [{ message: /^No function of \/usr\/bin\/bash `readlinex` .* Did you mean `readline`\?$/, line: 1, column: 18, endLine: 1, endColumn: 27 }],
      output: null,
    },
    {
      code: 'uprobe:/opt/app/addressbook:cpp:"AddressBook::AddContacts" { @ = count(); }',
      errors: [{ message: /^No C\+\+ function of \/opt\/app\/addressbook `AddressBook::AddContacts`.*Did you mean `AddressBook::AddContact`\?$/, line: 1, column: 33, endLine: 1, endColumn: 59 }],
      output: null,
    },
    {
      code: "usdt:/opt/app/addressbook:addressbook:contact_add { @ = count(); }",
      errors: [{ messageId: "missing", line: 1, column: 39, endLine: 1, endColumn: 50 }],
      output: null,
    },
    {
      code: "uprobe:/no/such/app:main { @ = count(); }",
      errors: [{ message: "`/no/such/app` does not exist or is not an ELF file: bpftrace will fail to attach `uprobe:/no/such/app:main`.", line: 1, column: 8, endLine: 1, endColumn: 20 }],
      output: null,
    },
    {
      code: "kprobe:ext4:ext4_file_opn { @ = count(); }",
      errors: [{ message: "No kernel function of module ext4 `ext4_file_opn` on this machine (from facts): bpftrace will fail to attach. Did you mean `ext4_file_open`?", line: 1, column: 13, endLine: 1, endColumn: 26 }],
      output: null,
    },
    {
      code: "kprobe:ext4:vfs_read { @ = count(); }",
      name: "a function of another module",
      errors: [{ message: "No kernel function of module ext4 `vfs_read` on this machine (from facts): bpftrace will fail to attach.", line: 1, column: 13, endLine: 1, endColumn: 21 }],
      output: null,
    },
    {
      code: "fentry:ext4:vfs_read { @ = count(); }",
      errors: [{ message: "No kernel function with BTF of module ext4 `vfs_read` on this machine (from facts): bpftrace will fail to attach.", line: 1, column: 13, endLine: 1, endColumn: 21 }],
      output: null,
    },
    {
      code: "kprobe:ext3:ext4_file_open { @ = count(); }",
      errors: [{ message: "No kernel module `ext3` on this machine (from facts): bpftrace will fail to attach. Did you mean `ext4`?", line: 1, column: 8, endLine: 1, endColumn: 12 }],
      output: null,
    },
    {
      code: "rawtracepoint:sched_swich { @ = count(); }",
      errors: [{ message: "No raw tracepoint `sched_swich` on this machine (from facts): bpftrace will fail to attach. Did you mean `sched_switch`?", line: 1, column: 15, endLine: 1, endColumn: 26 }],
      output: null,
    },
    {
      code: "rawtracepoint:ext4:sched_switch { @ = count(); }",
      errors: [{ message: "No raw tracepoint of module ext4 `sched_switch` on this machine (from facts): bpftrace will fail to attach.", line: 1, column: 20, endLine: 1, endColumn: 32 }],
      output: null,
    },
    {
      code: "kprobe:vfs_read,\nkprobe:vfs_wirte { @ = count(); }",
      errors: [{ message: /Did you mean `vfs_write`\?/, line: 2, column: 8, endLine: 2, endColumn: 17 }],
      output: null,
    },
  ],
});

describe("usdt:PROBE with -p PID", () => {
  const machine = machineFromFacts({
    binaries: {
      "/usr/bin/python3.11": { functions: ["main"], usdt: ["python:function__entry", "python:audit"] },
      "/usr/lib/libapp.so": { functions: ["f"], usdt: ["app:request__start"] },
    },
    processes: { 4242: ["/usr/bin/python3.11", "/usr/lib/libapp.so"] },
  });
  const findings = (code: string, pid: number) => lintText(code, { machine, pid }).findings.filter((f) => f.ruleId === "machine-attach-point").map((f) => [f.range.start.column, f.range.end.column, f.message]);
  it("looks in every ELF file the process has mapped, its libraries included", () => {
    expect(findings("usdt:function__entry { exit(); }", 4242)).toEqual([]);
    expect(findings("usdt:request__start { exit(); }", 4242)).toEqual([]);
    expect(findings("usdt:function_entry { exit(); }", 4242)).toEqual([
      [6, 20, "No USDT probe of process 4242 `function_entry` on this machine (from .note.stapsdt of the 2 ELF files in /proc/4242/maps): bpftrace will fail to attach. Did you mean `function__entry`?"],
    ]);
  });
  it("says when the process cannot be read", () => {
    expect(findings("usdt:audit { exit(); }", 99)).toEqual([[6, 11, "/proc/99/maps: ENOENT (no such process, or not allowed): bpftrace will fail to attach `usdt:audit`."]]);
  });
});

describe("machine-attach-point on this machine", () => {
  it("is quiet without a machine and reports with the real one built from this kernel", async () => {
    const { createMachine } = await import("@bt/system");
    const machine = createMachine();
    const names = machine.kernelFunctions();
    if (names.partial || !names.names.has("vfs_read")) {
      console.warn(`SKIPPED real-machine attach-point check: kernel functions not readable here (${names.note})`);
      return;
    }
    const findings = lintText("kprobe:vfs_readx { @ = count(); }\nkprobe:vfs_read { @ = count(); }\n", { machine }).findings.filter((f) => f.ruleId === "machine-attach-point");
    expect(findings.map((f) => [f.range.start.line, /Did you mean `vfs_read`/.test(f.message)])).toEqual([[1, true]]);
    expect(lintText("kprobe:vfs_readx { @ = count(); }\n", {}).findings.filter((f) => f.ruleId === "machine-attach-point")).toEqual([]);
    const moduleFindings = lintText("kprobe:vmlinux:vfs_read { @ = count(); }\nkprobe:vmlinux:vfs_readx { @ = count(); }\n", { machine }).findings.filter((f) => f.ruleId === "machine-attach-point");
    expect(moduleFindings.map((f) => [f.range.start.line, f.message])).toEqual([[2, expect.stringMatching(/^No kernel function of module vmlinux `vfs_readx` .*Did you mean `vfs_read`/)]]);
  });
  it("checks usdt:PROBE with -p against a running python3's probes", async () => {
    const { createMachine } = await import("@bt/system");
    const { spawn } = await import("node:child_process");
    const { existsSync } = await import("node:fs");
    const machine = createMachine();
    const python = "/usr/bin/python3";
    const exe = machine.resolveBinary(python);
    const probes = exe.ok ? machine.usdtProbes(exe.path) : undefined;
    if (!existsSync(python) || !probes?.ok || !probes.probes.some((p) => p.name === "function__entry")) {
      console.warn("SKIPPED usdt -p check: no /usr/bin/python3 with USDT probes (python:function__entry)");
      return;
    }
    const child = spawn(python, ["-c", "import time; time.sleep(30)"], { stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const found = lintText("usdt:function__entry { exit(); }\nusdt:function_entry { exit(); }\n", { machine, pid: child.pid }).findings.filter((f) => f.ruleId === "machine-attach-point");
      // How many files python3 maps (its libraries) depends on the build: the count is left out.
      expect(found.map((f) => [f.range.start.line, f.message.replace(/of the \d+ ELF files/, "of the N ELF files")])).toEqual([
        [2, `No USDT probe of process ${child.pid} \`function_entry\` on this machine (from .note.stapsdt of the N ELF files in /proc/${child.pid}/maps): bpftrace will fail to attach. Did you mean \`function__entry\`?`],
      ]);
    } finally {
      child.kill();
    }
  });
  it("checks raw tracepoints against this kernel's BTF", async () => {
    const { createMachine } = await import("@bt/system");
    const machine = createMachine();
    if (machine.rawTracepoints().partial) {
      console.warn(`SKIPPED real-machine raw tracepoint check: ${machine.rawTracepoints().note}`);
      return;
    }
    const findings = lintText("rawtracepoint:sched_switch { @ = count(); }\nrawtracepoint:vmlinux:sched_swich { @ = count(); }\n", { machine }).findings.filter((f) => f.ruleId === "machine-attach-point");
    expect(findings.map((f) => [f.range.start.line, f.message])).toEqual([[2, expect.stringMatching(/^No raw tracepoint of module vmlinux `sched_swich` on this machine \(from btf\).*Did you mean `sched_switch`/)]]);
  });
});
