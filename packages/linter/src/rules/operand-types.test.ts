import { RuleTester } from "../rule-tester.ts";
import rule from "./operand-types.ts";

new RuleTester({ target: "0.27" }).run("operand-types", rule, {
  valid: [
    'kprobe:f { if (comm == "bash") { @[pid] = 1 + 2; } }',
    'kprobe:f { if ("abc") { print(1) } while (comm) { break; } $x = -true; print($x); }',
    // measured on bpftrace 0.27: no "Addrspace mismatch" for two user values, a non-syscalls tracepoint's args, a pointer operand, a variable given both spaces
    "tracepoint:syscalls:sys_exit_read { if (args.ret == args.ret) {} }",
    "tracepoint:sched:sched_switch { if (args.prev_pid == 0) {} }",
    "tracepoint:syscalls:sys_enter_openat { if (args.filename == 0) {} }",
    "tracepoint:syscalls:sys_exit_read { $x = args.ret; $x = 1; if ($x == 1) {} }",
    // the same warning before 0.27 is not modelled
    { code: "tracepoint:syscalls:sys_exit_read { if (args.ret == 0) {} }", target: "0.26" },
  ],
  invalid: [
    { code: "kprobe:f { if (comm == 1) {} }", errors: [{ messageId: "operand", line: 1, column: 16, endLine: 1, endColumn: 25 }], output: null },
    { code: 'kprobe:f { $x = "a" * 2; }', errors: [{ messageId: "operand", line: 1, column: 17, endLine: 1, endColumn: 24 }], output: null },
    { code: "kprobe:f { $a = (1, true); $b = (2, false, 3); @ = $a == $b; }", errors: [{ messageId: "operand", line: 1, column: 52, endLine: 1, endColumn: 60 }], output: null },
    { code: "begin { $x = (int8*)0; if (!$x) { print(1); } }", errors: [{ messageId: "operand", line: 1, column: 28, endLine: 1, endColumn: 31 }], output: null },
    {
      code: "struct A { int x; } struct B { int y; } kprobe:f { $a = (struct A *)arg0; $b = (struct B *)arg1; @ = $a == $b; }",
      errors: [{ messageId: "distinctPointers", line: 1, column: 102, endLine: 1, endColumn: 110, severity: "warning" }],
      output: null,
    },
    // measured on bpftrace 0.27 ("Addrspace mismatch"): args of tracepoint:syscalls:* are user memory, literals kernel; through a variable, a map, an integer cast, a struct read (bpftrace's places: 1:71-78, 1:82-88, 1:98-117; 1:127-151)
    {
      code: "tracepoint:syscalls:sys_exit_read { $r = args.ret; @r = args.ret; if ($r == 0 && @r < 5) {} $c = (int64)args.ret * 2; }",
      errors: [
        { messageId: "addressSpaceMismatch", line: 1, column: 71, endLine: 1, endColumn: 78, severity: "warning" },
        { messageId: "addressSpaceMismatch", line: 1, column: 82, endLine: 1, endColumn: 88, severity: "warning" },
        { messageId: "addressSpaceMismatch", line: 1, column: 98, endLine: 1, endColumn: 117, severity: "warning" },
      ],
      output: null,
    },
    {
      code: "tracepoint:syscalls:sys_enter_nanosleep { @t[tid] = args.rqtp; } tracepoint:syscalls:sys_exit_nanosleep { $t = @t[tid]; @ms = (uint64)$t.tv_nsec / 1e6; }",
      errors: [{ messageId: "addressSpaceMismatch", line: 1, column: 127, endLine: 1, endColumn: 151, severity: "warning" }],
      output: null,
    },
    { code: "kprobe:f { if (kstack) {} }", errors: [{ messageId: "condition", line: 1, column: 16, endLine: 1, endColumn: 22 }], output: null },
    // measured on bpftrace 0.27: a string variable as a condition (not a literal, not in while), ~ of a bool, ++ of a string, an array or a hist() value compared with an integer
    { code: 'struct S { int x[4]; } kprobe:f { $s = "a"; if ($s) { print(1) } $t = ~true; $u = "a"; $u++; $a = ((struct S *)arg0)->x == 1; @h = hist(2); $c = @h > 0; print(($t, $a, $c)); }', errors: [
      { messageId: "condition", line: 1, column: 49, endLine: 1, endColumn: 51 },
      { messageId: "operand", line: 1, column: 71, endLine: 1, endColumn: 76 },
      { messageId: "operand", line: 1, column: 88, endLine: 1, endColumn: 92 },
      { messageId: "operand", line: 1, column: 99, endLine: 1, endColumn: 125 },
      { messageId: "operand", line: 1, column: 146, endLine: 1, endColumn: 152 },
    ], output: null },
  ],
});
