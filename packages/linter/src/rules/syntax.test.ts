import { RuleTester } from "../rule-tester.ts";
import rule from "./syntax.ts";

new RuleTester().run("syntax", rule, {
  valid: ["BEGIN { printf(\"hi\\n\"); }"],
  invalid: [
    { code: "BEGIN { @x = 1 +; }", errors: [{ messageId: "parser", line: 1, column: 17, endLine: 1, endColumn: 18 }], output: null },
  ],
});
