import { RuleTester } from "../rule-tester.ts";
import rule from "./unreachable-code.ts";

new RuleTester({ target: "0.27" }).run("unreachable-code", rule, {
  valid: [
    "begin { if (1) { return; } @ = 1; }",
    { code: "begin { return; @ = 1; }", target: "0.24" },
  ],
  invalid: [
    { code: "begin { return; @ = 1; @b = 2; }", errors: [{ messageId: "unreachable", line: 1, column: 17, endLine: 1, endColumn: 23 }], output: null },
    {
      code: "begin { for ($i : 0..3) { if ($i) { break; } else { continue; } print($i); } }",
      errors: [{ messageId: "unreachable", line: 1, column: 65, endLine: 1, endColumn: 75 }],
      output: null,
    },
    // exit() ends the probe too
    { code: "i:ms:100 { @++; exit(); @++ }", errors: [{ messageId: "unreachable", line: 1, column: 25, endLine: 1, endColumn: 28 }], output: null },
  ],
});
