import { RuleTester } from "../rule-tester.ts";
import rule from "./format-string.ts";

new RuleTester().run("format-string", rule, {
  valid: [
    'BEGIN { printf("%s %d %-16s %5.2lu %% %x\\n", comm, pid, "a", 1, 2); }',
    'BEGIN { printf("%s\\n", pid); }',
    // a user macro expanding to a literal (corpus runtime/macro__user_macros_override_stdlib.bt)
    { code: 'macro cpu() { "hi" } begin { printf(cpu()); }', target: "0.27" },
  ],
  invalid: [
    {
      code: 'kprobe:f { printf("%r", "mystr"); printf("%rh", arg0); printf("%r", buf(arg0, 4)); }',
      target: "0.27",
      errors: [
        { messageId: "buffer", line: 1, column: 25, endLine: 1, endColumn: 32 },
        { messageId: "buffer", line: 1, column: 49, endLine: 1, endColumn: 53 },
      ],
      output: null,
    },
    {
      code: 'kprobe:f { debugf(1234); system(1234); debugf("%d %d %d %d", 1, 1, 1, 1); }',
      target: "0.27",
      errors: [
        { messageId: "notLiteral", line: 1, column: 19, endLine: 1, endColumn: 23 },
        { messageId: "notLiteral", line: 1, column: 33, endLine: 1, endColumn: 37 },
        { messageId: "debugfCount", line: 1, column: 47, endLine: 1, endColumn: 60 },
      ],
      output: null,
    },
    // bpftrace prints a `%` that starts no specifier as it is
    { code: 'begin { printf("%5s%\\n", "a"); printf("90% --timeout\\n"); }', errors: [
      { messageId: "invalid", line: 1, column: 16, endLine: 1, endColumn: 24, severity: "warning" },
      { messageId: "invalid", line: 1, column: 39, endLine: 1, endColumn: 56, severity: "warning" },
    ], output: null },
    { code: 'BEGIN { printf("%d %s\\n", comm); }', errors: [
      { messageId: "tooFew", line: 1, column: 16, endLine: 1, endColumn: 25 },
      { messageId: "kind", line: 1, column: 27, endLine: 1, endColumn: 31 },
    ], output: null },
    { code: 'begin { $f = "x"; printf($f); }', target: "0.27", errors: [{ messageId: "notLiteral", line: 1, column: 26, endLine: 1, endColumn: 28 }], output: null },
    { code: 'BEGIN { printf("%d\\n", 1, 2); }', errors: [{ messageId: "tooMany", line: 1, column: 27, endLine: 1, endColumn: 28 }], output: null },
    { code: 'BEGIN { $s = str(0); printf("%u\\n", $s); }', errors: [{ messageId: "kind", line: 1, column: 37, endLine: 1, endColumn: 39 }], output: null },
    // floating point is refused in every format; debugf() takes only bpf_trace_printk's conversions
    { code: 'kprobe:f { printf("%5.2f %g", 1, 2); debugf("%i %lx", 1, 2); }', target: "0.27", errors: [
      { messageId: "unsupported", line: 1, column: 19, endLine: 1, endColumn: 29 },
      { messageId: "unsupported", line: 1, column: 19, endLine: 1, endColumn: 29 },
      { messageId: "notInFunction", line: 1, column: 45, endLine: 1, endColumn: 53 },
    ], output: null },
    { code: 'kprobe:f { $fmt = "mystring"; debugf($fmt) }', target: "0.27", errors: [{ messageId: "notLiteral", line: 1, column: 38, endLine: 1, endColumn: 42 }], output: null },
  ],
});
