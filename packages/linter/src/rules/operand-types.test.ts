import { RuleTester } from "../rule-tester.ts";
import rule from "./operand-types.ts";

new RuleTester({ target: "0.27" }).run("operand-types", rule, {
  valid: ['kprobe:f { if (comm == "bash") { @[pid] = 1 + 2; } }'],
  invalid: [
    { code: "kprobe:f { if (comm == 1) {} }", errors: [{ messageId: "operand", line: 1, column: 16, endLine: 1, endColumn: 25 }], output: null },
    { code: 'kprobe:f { $x = "a" * 2; }', errors: [{ messageId: "operand", line: 1, column: 17, endLine: 1, endColumn: 24 }], output: null },
    { code: "kprobe:f { if (kstack) {} }", errors: [{ messageId: "condition", line: 1, column: 16, endLine: 1, endColumn: 22 }], output: null },
  ],
});
