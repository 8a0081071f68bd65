import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-shadowing.ts";

new RuleTester({ target: "0.27" }).run("variable-shadowing", rule, {
  valid: [
    // sibling blocks each declare their own $x
    "begin { if (1) { let $x = 1; print($x); } else { let $x = 2; print($x); } }",
    // before 0.25 only an earlier `let` counted
    { code: "begin { $x = 1; if (1) { let $x = 2; print($x); } }", target: "0.23" },
  ],
  invalid: [
    { code: "begin { let $x = 1; { let $x = 2 } }", errors: [{ messageId: "let", line: 1, column: 27, endLine: 1, endColumn: 29 }], output: null },
    { code: "begin { $i = 5; for ($i : 1..10) { print($i) } }", errors: [{ messageId: "loop", line: 1, column: 22, endLine: 1, endColumn: 24 }], output: null },
    { code: "fn foo($x: int64): void { let $x = 1 }", errors: [{ messageId: "let", line: 1, column: 31, endLine: 1, endColumn: 33 }], output: null },
  ],
});
