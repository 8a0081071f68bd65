import { RuleTester } from "../rule-tester.ts";
import { fixtureMachine } from "./machine-fixture.ts";
import rule from "./machine-wildcard.ts";

new RuleTester({ machine: fixtureMachine }).run("machine-wildcard", rule, {
  valid: [
    "kprobe:vfs_* { @ = count(); }",
    "tracepoint:syscalls:sys_enter_open* { @ = count(); }",
    "uprobe:/bin/bash:readline* { @ = count(); }",
    "fentry:vfs_* { @ = count(); }",
    "kprobe:ext4:ext4_file_* { @ = count(); }",
    "rawtracepoint:sched_* { @ = count(); }",
    { code: "kprobe:* { @ = count(); }", name: "a bare * is broad-wildcard's finding" },
    { code: "kprobe:vfs_read { @ = count(); }", name: "no wildcard" },
  ],
  invalid: [
    {
      code: "kprobe:vfs_raed* { @ = count(); }",
      errors: [{ message: "`vfs_raed*` matches no kernel function on this machine (from facts): the probe attaches nowhere.", line: 1, column: 8, endLine: 1, endColumn: 17 }],
      output: null,
    },
    {
      code: "kprobe:ext4:vfs_* { @ = count(); }",
      errors: [{ message: "`vfs_*` matches no kernel function of module ext4 on this machine (from facts): the probe attaches nowhere.", line: 1, column: 13, endLine: 1, endColumn: 18 }],
      output: null,
    },
    {
      code: "rawtracepoint:ext4:sched_* { @ = count(); }",
      errors: [{ message: "`sched_*` matches no raw tracepoint of module ext4 on this machine (from facts): the probe attaches nowhere.", line: 1, column: 20, endLine: 1, endColumn: 27 }],
      output: null,
    },
    {
      code: "tracepoint:syscalls:sys_enter_nothing* { @ = count(); }",
      errors: [{ messageId: "none", line: 1, column: 21, endLine: 1, endColumn: 39 }],
      output: null,
    },
    {
      code: "tracepoint:sys*:sys_enter_nope { @ = count(); }",
      name: "a wildcard in the category marks the whole attach point",
      errors: [{ messageId: "none", line: 1, column: 1, endLine: 1, endColumn: 31 }],
      output: null,
    },
    {
      code: "uprobe:libc:mall*x { @ = count(); }",
      errors: [{ message: /^`mall\*x` matches no function of \/usr\/lib\/x86_64-linux-gnu\/libc\.so\.6/, line: 1, column: 13, endLine: 1, endColumn: 19 }],
      output: null,
    },
    {
      code: "kprobe:tcp_* { @ = count(); }",
      errors: [{ message: "`tcp_*` matches 1503 kernel functions on this machine: more than bpftrace's max_probes (1024), so it will refuse to attach; slow and costly even with a higher limit. Narrow the pattern.", line: 1, column: 8, endLine: 1, endColumn: 13 }],
      output: null,
    },
  ],
});
