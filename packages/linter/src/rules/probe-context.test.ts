import { RuleTester } from "../rule-tester.ts";
import rule from "./probe-context.ts";

new RuleTester().run("probe-context", rule, {
  valid: [
    "kprobe:f { @ = arg0; }",
    // field names, not builtins (bpftrace's TypeCheckerTest.call_offsetof)
    { code: "struct Foo { int ctx; int args; } begin { @x = offsetof(struct Foo, ctx); @y = offsetof(struct Foo, args); }", target: "0.27" }, "tracepoint:syscalls:sys_enter_openat { @ = args.flags; }"],
  invalid: [
    // a for-loop body has no probe context (bpftrace: "'arg0' builtin is not allowed in a for-loop")
    { code: "kprobe:f { for ($i : 0..5) { @[arg0] = $i; } }", target: "0.27", errors: [{ messageId: "forLoop", line: 1, column: 32, endLine: 1, endColumn: 36 }], output: null },
    {
      code: "tracepoint:syscalls:sys_enter_openat { @ = arg1; }",
      errors: [{ messageId: "argsInTracepoint", line: 1, column: 44, endLine: 1, endColumn: 48 }],
      output: null,
    },
  ],
});

new RuleTester().run("probe-context", rule, {
  valid: ["kretprobe:vfs_read { @ = retval; }", "uretprobe:libc:malloc { @ = retval; }", { code: 'uprobe:/bin/sh:f { __builtin_uaddr("A"); }', target: "0.27" }],
  invalid: [
    { name: "retval in an entry probe", code: "kprobe:vfs_read { @ = retval; }", errors: [{ messageId: "builtin", line: 1, column: 23, endLine: 1, endColumn: 29 }], output: null },
    { name: "argN in a return probe", code: "kretprobe:vfs_read { @ = arg0; }", errors: [{ messageId: "builtin", line: 1, column: 26, endLine: 1, endColumn: 30 }], output: null },
    {
      name: "probe-only builtins inside an fn",
      code: "fn f($a: int64): int64 { print((func, probe, ctx, arg0, comm, pid, $a)); return 1; } begin { f(1); }",
      target: "0.27",
      errors: [
        { messageId: "notInFn", line: 1, column: 33, endLine: 1, endColumn: 37 },
        { messageId: "notInFn", line: 1, column: 39, endLine: 1, endColumn: 44 },
        { messageId: "notInFn", line: 1, column: 46, endLine: 1, endColumn: 49 },
        { messageId: "notInFn", line: 1, column: 51, endLine: 1, endColumn: 55 },
      ],
      output: null,
    },
    { name: "an internal builtin keeps its function's probes", code: 'kprobe:f { __builtin_uaddr("A"); }', target: "0.27", errors: [{ messageId: "call", line: 1, column: 12, endLine: 1, endColumn: 27 }], output: null },
  ],
});
