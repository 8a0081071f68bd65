import { RuleTester } from "../rule-tester.ts";
import rule from "./signed-division.ts";

new RuleTester({ target: "0.27" }).run("signed-division", rule, {
  valid: [
    // unsigned operands; a literal takes the other operand's sign
    "kprobe:f { @ = nsecs / 1000; }",
    // the integer model of 0.26+ only
    { code: "kprobe:f { $d = nsecs - @s; @ = $d / 1000; }", target: "0.25" },
  ],
  invalid: [
    {
      code: "kprobe:f { @s = nsecs; $d = nsecs - @s; @ = $d / 1000; }",
      errors: [{ messageId: "signed", line: 1, column: 45, endLine: 1, endColumn: 54 }],
      output: null,
    },
    // `/=` and `%=` warn on a signed target whatever the operand (a map without a value is an int64); a negative literal stays signed
    {
      code: "kprobe:f { $a = 0; $a /= 1; @b %= 3; @x = (uint64)1; @y = -1 % @x; }",
      errors: [
        { messageId: "signed", line: 1, column: 20, endLine: 1, endColumn: 28 },
        { messageId: "signed", line: 1, column: 29, endLine: 1, endColumn: 37 },
        { messageId: "signed", line: 1, column: 59, endLine: 1, endColumn: 66 },
      ],
      output: null,
    },
  ],
});
