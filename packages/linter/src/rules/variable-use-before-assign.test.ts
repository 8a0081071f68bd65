import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-use-before-assign.ts";

new RuleTester().run("variable-use-before-assign", rule, {
  valid: ["k:f { $c = 1; @x = $c; }", { code: "begin { let $x; $x = 1; print($x); }", target: "0.27" }, { code: "begin { let $x; print($x); $x = 1; }", target: "0.24" }, { code: "k:f { if (arg0) { $c = 1; } @x = $c; }", target: "0.21" }],
  invalid: [
    { code: "k:f { @x = $count; $count = 1; }", errors: [{ messageId: "before", line: 1, column: 12, endLine: 1, endColumn: 18 }], output: null },
    // `let $x;` without a value (bpftrace 0.25+ warns: "Variable used before it was assigned", "was never assigned to")
    { code: "begin { let $x; print($x); $x = 1; }", target: "0.27", errors: [{ messageId: "beforeValue", line: 1, column: 23, endLine: 1, endColumn: 25, severity: "warning" }], output: null },
    {
      code: "begin { let $a: int16; print($a); }",
      target: "0.27",
      errors: [
        { messageId: "neverAssigned", line: 1, column: 9, endLine: 1, endColumn: 23, severity: "warning" },
        { messageId: "beforeValue", line: 1, column: 30, endLine: 1, endColumn: 32, severity: "warning" },
      ],
      output: null,
    },
    { code: "k:f { @x = $nope; }", target: "0.17", errors: [{ messageId: "before", line: 1, column: 12, endLine: 1, endColumn: 17 }], output: null },
  ],
});
