import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-out-of-scope.ts";

new RuleTester().run("variable-out-of-scope", rule, {
  valid: [
    { code: "k:f { if (arg0) { $x = 1; } else { $x = 2; } @ = $x; }", target: "0.21" },
    { code: "k:f { let $x; if (arg0) { $x = 1; } else { $x = 2; } @ = $x; }", target: "0.22" },
  ],
  invalid: [
    {
      code: "k:f { if (arg0) { $x = 1; } else { $x = 2; } @ = $x; }",
      target: "0.22",
      errors: [{ messageId: "outside", line: 1, column: 50, endLine: 1, endColumn: 52 }],
      output: null,
    },
  ],
});
