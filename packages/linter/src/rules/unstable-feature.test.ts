import { RuleTester } from "../rule-tester.ts";
import rule from "./unstable-feature.ts";

new RuleTester({ target: "0.27" }).run("unstable-feature", rule, {
  valid: [
    "config = { unstable_tseries = enable } kprobe:f { @ = tseries(5, 10s, 1); }",
    // tseries() is unknown before 0.24; version-compat reports that
    { code: "kprobe:f { @ = count(); }", target: "0.23" },
  ],
  invalid: [
    { code: "kprobe:f { @ = tseries(5, 10s, 1); }", errors: [{ messageId: "warns", line: 1, column: 16, endLine: 1, endColumn: 34, severity: "warning" }], output: null },
    { code: "begin { $x = 1; print(typeinfo($x)); }", errors: [{ messageId: "disabled", line: 1, column: 23, endLine: 1, endColumn: 35, severity: "error" }], output: null },
    { code: "config = { unstable_tseries = error } kprobe:f { @ = tseries(5, 10s, 1); }", errors: [{ messageId: "disabled", line: 1, column: 54, endLine: 1, endColumn: 72 }], output: null },
  ],
});
