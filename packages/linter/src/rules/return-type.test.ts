import { RuleTester } from "../rule-tester.ts";
import rule from "./return-type.ts";

new RuleTester({ target: "0.27" }).run("return-type", rule, {
  valid: ["fn f(): int64 { return 1; } begin { @ = f(); }", "fn f($x: int64): int64 { if ($x > 0) { return 0; } else { return 1; } } begin { @ = f(1); }"],
  invalid: [
    {
      code: "fn f($x: int64): int64 { if ($x > 0) { return 0; } else { $x = 0; } } begin { @ = f(1); }",
      errors: [{ messageId: "missingReturn", line: 1, column: 4, endLine: 1, endColumn: 5 }],
      output: null,
    },{ code: "fn f(): int64 { return; } begin { @ = f(); }", errors: [{ messageId: "returnType", line: 1, column: 17, endLine: 1, endColumn: 24 }], output: null },
    // a probe returns an integer
    { code: 'begin { return "tomato"; }', target: "0.27", errors: [{ messageId: "probeReturn", line: 1, column: 16, endLine: 1, endColumn: 24 }], output: null },
  ],
});

