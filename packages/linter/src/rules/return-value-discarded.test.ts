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
  ],
});
