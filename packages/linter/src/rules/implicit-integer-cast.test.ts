import { RuleTester } from "../rule-tester.ts";
import rule from "./implicit-integer-cast.ts";

new RuleTester({ target: "0.27" }).run("implicit-integer-cast", rule, {
  valid: [
    // a tuple element that fits the other branch's (uint8 into uint32) is no conversion (measured on 0.27)
    "begin { print(if (pid == 1) { ((int64)1, (uint8)3) } else { ((int64)2, (uint32)4) }); }",
    "kprobe:f { @ = pid + 1; @t = nsecs + (uint64)5; }",
    // a variable given two types has no exact type: never flagged
    "kprobe:f { $l = (uint64)arg0; $l = ($l > 0) ? ($l - 1) : 0; print($l); }",
    { code: "kprobe:f { @s = nsecs; @ = hist(nsecs - @s); }", target: "0.25" },
  ],
  invalid: [
    // the integer elements of an `if` expression's or `?:`'s tuple branches are unified one by one (measured on 0.27: 1:58, 1:45)
    { code: 'begin { print(if (pid == 1) { ((int64)1, "hi") } else { ((uint64)2, "hellostr") }); }', errors: [{ messageId: "cast", line: 1, column: 58, endLine: 1, endColumn: 67 }], output: null },
    { code: 'begin { $t = pid == 1 ? ((int64)1, "hi") : ((uint64)2, "hellostr"); print($t); }', errors: [{ messageId: "cast", line: 1, column: 45, endLine: 1, endColumn: 54 }], output: null },
    // a map holds the integer type promoted from all its values (uint64 and int64 give int64)
    { code: "begin { @a = (uint64)1; @a = (int64)2; }", errors: [{ messageId: "cast", line: 1, column: 14, endLine: 1, endColumn: 23 }], output: null },
    {
      code: "kprobe:f { @s = nsecs; @ = hist(nsecs - @s); }",
      errors: [
        { messageId: "cast", line: 1, column: 33, endLine: 1, endColumn: 38 },
        { messageId: "cast", line: 1, column: 41, endLine: 1, endColumn: 43 },
      ],
      output: null,
    },
    // integer map keys are promoted like values: a uint64 key in a map also keyed by int64 is cast
    { code: "begin { @a[(uint64)1] = 1; @a[(int64)2] = 1; @b[-1] = 1; @b[(uint64)2] = 1; }", errors: [
      { messageId: "cast", line: 1, column: 12, endLine: 1, endColumn: 21 },
      { messageId: "cast", line: 1, column: 61, endLine: 1, endColumn: 70 },
    ], output: null },
    // a map's integer type is promoted from all its values (0 and nsecs: uint64), and so is each element of a tuple or record value
    { code: "kprobe:f { @s[0] = 0; @s[tid] = nsecs; } kretprobe:f { @us = hist((nsecs - @s[tid]) / 1000); }", errors: [
      { messageId: "cast", line: 1, column: 68, endLine: 1, endColumn: 73 },
      { messageId: "cast", line: 1, column: 76, endLine: 1, endColumn: 83 },
    ], output: null },
    { code: 'begin { @a = (x=(int64)1, y="hi"); @a = (x=(uint64)2, y="hellostr"); }', errors: [{ messageId: "cast", line: 1, column: 44, endLine: 1, endColumn: 53 }], output: null },
    // the integer branches of ?: and of an if used as a value take one promoted type
    { code: "begin { $x = true ? (uint64)1 : (int64)2; print(if (1) { (int64)1 } else { (uint64)2 }); print($x); }", errors: [
      { messageId: "cast", line: 1, column: 21, endLine: 1, endColumn: 30 },
      { messageId: "cast", line: 1, column: 76, endLine: 1, endColumn: 85 },
    ], output: null },
  ],
});
