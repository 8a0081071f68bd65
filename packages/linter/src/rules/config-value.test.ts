import { RuleTester } from "../rule-tester.ts";
import rule from "./config-value.ts";

new RuleTester({ target: "0.27" }).run("config-value", rule, {
  valid: [
    'config = { max_probes = 10; BPFTRACE_MAX_STRLEN = "64"; max_map_keys = true; stack_mode = "perf"; missing_probes = Warn; unstable_tseries = 1; license = GPL } begin { }',
    // ignored since 0.25: its value is not read
    "config = { unstable_macro = whatever } begin { }",
  ],
  invalid: [
    { code: 'config = { BPFTRACE_MAX_PROBES = "hello" } begin { }', errors: [{ messageId: "number", line: 1, column: 12, endLine: 1, endColumn: 41 }], output: null },
    { code: 'config = { max_probes = "10abc" } begin { }', errors: [{ messageId: "number", line: 1, column: 12, endLine: 1, endColumn: 32 }], output: null },
    { code: "config = { stack_mode = 1; missing_probes = bogus; unstable_tseries = nah } begin { }", errors: [
      { messageId: "choice", line: 1, column: 12, endLine: 1, endColumn: 26 },
      { messageId: "choice", line: 1, column: 28, endLine: 1, endColumn: 50 },
      { messageId: "choice", line: 1, column: 52, endLine: 1, endColumn: 74 },
    ], output: null },
  ],
});
