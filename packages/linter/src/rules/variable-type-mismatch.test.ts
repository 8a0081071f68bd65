import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-type-mismatch.ts";

new RuleTester({ target: "0.27" }).run("variable-type-mismatch", rule, {
  valid: [
    "begin { let $a; if (1) { $a = 1; } $b = &$a; let $c: int8; print(($b, $c)); }",
    // integers of any size, strings of any length mix (bpftrace promotes them)
    'kprobe:f { $x = 1; $x = 1000; $y = "a"; $y = "abcdef"; print(($x, $y)); }',
    // a value from the kernel has a type bt-lint does not know: never compared
    'kprobe:f { $x = args.foo; $x = "a"; print($x); }',
  ],
  invalid: [
    { code: "begin { let $a: sum_t; }", errors: [{ messageId: "declarationType", line: 1, column: 17, endLine: 1, endColumn: 22 }], output: null },
    { code: 'kprobe:f { $x = 1; $x = "foo"; }', errors: [{ messageId: "mismatch", line: 1, column: 25, endLine: 1, endColumn: 30 }], output: null },
    { code: "begin { let $a: uint16 = -1; }", errors: [{ messageId: "declared", line: 1, column: 26, endLine: 1, endColumn: 28 }], output: null },
    { code: "begin { let $a; $b = &$a; print($b); }", errors: [{ messageId: "untyped", line: 1, column: 23, endLine: 1, endColumn: 25 }], output: null },
    // a negative literal makes the variable an int64: a literal beyond int64 does not fit
    { code: "kprobe:f { $a = -1; $a = 9223372036854775808; print($a); }", errors: [{ messageId: "mismatch", line: 1, column: 26, endLine: 1, endColumn: 45 }], output: null },
  ],
});
