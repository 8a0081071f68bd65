import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-unused.ts";

new RuleTester().run("variable-unused", rule, {
  valid: [
    "k:f { $ts = nsecs; @ = $ts; }",
    "k:f { $ignore = delete(@m, 1); }",
    // for-loop bindings are required by the syntax (corpus runtime/for__range_with_zero_iterations.bt and for__variable_context_*.bt)
    'begin { for ($i : 1..3) { print("here"); } }',
    "begin { @map[1] = 1; for ($kv : @map) { print(1); } }",
  ],
  invalid: [
    { code: "k:f { $ts = nsecs; @ = count(); }", errors: [{ messageId: "unused", line: 1, column: 7, endLine: 1, endColumn: 10 }], output: null },
    // a variable assigned inside a loop body is still reported
    { code: "begin { for ($i : 1..3) { $y = $i; } }", errors: [{ messageId: "unused", line: 1, column: 27, endLine: 1, endColumn: 29 }], output: null },
  ],
});
