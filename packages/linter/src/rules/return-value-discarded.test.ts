import { RuleTester } from "../rule-tester.ts";
import rule from "./return-value-discarded.ts";

new RuleTester({ target: "0.27" }).run("return-value-discarded", rule, {
  valid: [
    // increments, calls without a value, and stdlib macros like delete() are statements
    'kprobe:f { @x++; printf("x"); }',
    // an `if` used as a value: its branches' values are used
    "begin { $x = 1; print(if ($x) { if ($x) { $x } else { 2 } } else { 0 }); }",
    // bpftrace warns from 0.24 on
    { code: "kprobe:f { pid; }", target: "0.23" },
    // bpftrace 0.27's warning at every strerror()/syscall_name() call is measured on 0.27 only
    { code: "begin { print(strerror(1)); }", target: "0.26" },
    // signal_name() is no such macro (measured: no warning)
    "begin { $x = signal_name(1); print($x); }",
  ],
  invalid: [
    { code: "kprobe:f { pid; }", errors: [{ messageId: "discarded", line: 1, column: 12, endLine: 1, endColumn: 16, severity: "info" }], output: null },
    // delete() gives whether the key existed; bpftrace 0.27 warns here too
    { code: "kprobe:f { @x[1] = 1; delete(@x, 1); }", errors: [{ messageId: "discarded", line: 1, column: 23, endLine: 1, endColumn: 37 }], output: null },
    // a probe body's last expression (no `;`) and the branches of an `if` statement are thrown away too
    { code: "kprobe:f { pid }", errors: [{ messageId: "discarded", line: 1, column: 12, endLine: 1, endColumn: 15 }], output: null },
    { code: "kprobe:f { 1 + 2; }", errors: [{ messageId: "discarded", line: 1, column: 12, endLine: 1, endColumn: 18 }], output: null },
    // a builtin or a field read of a type bt-lint does not know is still a value thrown away
    { code: "kretprobe:f { retval; func; }", errors: [
      { messageId: "discarded", line: 1, column: 15, endLine: 1, endColumn: 22 },
      { messageId: "discarded", line: 1, column: 23, endLine: 1, endColumn: 28 },
    ], output: null },
    // strerror() and syscall_name() are standard-library macros in 0.27 that throw a value away: bpftrace warns at every call (measured)
    { code: "begin { $s = strerror(1); print($s); }", errors: [{ messageId: "stdlibMacro", line: 1, column: 14, endLine: 1, endColumn: 25 }], output: null },
    { code: "begin { print(syscall_name(1)); }", errors: [{ messageId: "stdlibMacro", line: 1, column: 15, endLine: 1, endColumn: 30 }], output: null },
    // in a script macro: at the call in the macro's body (measured 2:16)
    { code: 'macro m(r) {\n  printf("%s", strerror(r));\n}\nbegin\n{\n  m(1);\n}', errors: [{ messageId: "stdlibMacro", line: 2, column: 16, endLine: 2, endColumn: 27 }], output: null },
    // in a probe bpftrace copies per attach point: at its predicate (measured 3:1), else its body (measured 2:0, a line range)
    { code: 'kprobe:f,\nkprobe:func_1\n/1/\n{\n  printf("%s", strerror(1));\n}', errors: [{ messageId: "stdlibMacro", line: 3, column: 1, endLine: 3, endColumn: 4 }], output: null },
    { code: 'kprobe:func_*\n{\n  printf("%s", strerror(1));\n}', errors: [{ messageId: "stdlibMacro", line: 2, column: 1, endLine: 4, endColumn: 2 }], output: null },
  ],
});
