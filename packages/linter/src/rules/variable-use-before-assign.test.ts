import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-use-before-assign.ts";

new RuleTester().run("variable-use-before-assign", rule, {
  valid: ["k:f { $c = 1; @x = $c; }", { code: "k:f { if (arg0) { $c = 1; } @x = $c; }", target: "0.21" }],
  invalid: [
    { code: "k:f { @x = $count; $count = 1; }", errors: [{ messageId: "before", line: 1, column: 12, endLine: 1, endColumn: 18 }], output: null },
    { code: "k:f { @x = $nope; }", target: "0.17", errors: [{ messageId: "before", line: 1, column: 12, endLine: 1, endColumn: 17 }], output: null },
  ],
});
