import { RuleTester } from "../rule-tester.ts";
import rule from "./compile-time-expression.ts";

new RuleTester({ target: "0.27" }).run("compile-time-expression", rule, {
  valid: [
    "begin { $x = 1; comptime (sizeof($x)) }",
    "kprobe:f { @a[1] = 1; if (comptime is_scalar(@a)) { @a = 1; } }",
    "begin { comptime (1 + 2) }",
    "begin { let $b : typeof({ $a = 1; 1 }) = 1; }",
  ],
  invalid: [
    { code: "begin { $x = 0; comptime ($x + 1) }", errors: [{ messageId: "runtimeValue", line: 1, column: 17, endLine: 1, endColumn: 34 }], output: null },
    { code: "begin { @x = 0; comptime (@x + 1) }", errors: [{ messageId: "runtimeValue", line: 1, column: 17, endLine: 1, endColumn: 34 }], output: null },
    { code: "begin { let $b : typeof({ @a = 1; 1 }) = 1; }", errors: [{ messageId: "mapAssignment", line: 1, column: 27, endLine: 1, endColumn: 34 }], output: null },
    { code: "begin { print(sizeof({ @a = 1; 1 })); }", errors: [{ messageId: "mapAssignment", line: 1, column: 24, endLine: 1, endColumn: 31 }], output: null },
    { code: "kprobe:f { @a = 1; if comptime (@a > 1) { print(1); } }", errors: [{ messageId: "runtimeValue", line: 1, column: 33, endLine: 1, endColumn: 39 }], output: null },
  ],
});
