import { RuleTester } from "../rule-tester.ts";
import rule from "./void-value.ts";

new RuleTester({ target: "0.27" }).run("void-value", rule, {
  valid: ['kprobe:f { printf("x"); exit(); }'],
  invalid: [
    { code: 'kprobe:f { @x = cat("/proc/loadavg"); }', errors: [{ messageId: "voidValue", line: 1, column: 17, endLine: 1, endColumn: 37 }], output: null },
    { code: 'kprobe:f { $a = printf("x"); }', errors: [{ messageId: "voidValue", line: 1, column: 17, endLine: 1, endColumn: 28 }], output: null },
  ],
});
