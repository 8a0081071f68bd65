import { RuleTester } from "../rule-tester.ts";
import rule from "./jump-outside-loop.ts";

new RuleTester({ target: "0.27" }).run("jump-outside-loop", rule, {
  valid: ["begin { for ($i : 0..3) { if ($i == 1) { continue; } if ($i == 2) { break; } } }"],
  invalid: [{ code: "i:s:1 { continue; }", errors: [{ messageId: "outside", line: 1, column: 9, endLine: 1, endColumn: 18 }], output: null }],
});
