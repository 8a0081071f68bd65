import { RuleTester } from "../rule-tester.ts";
import rule from "./variable-unused.ts";

new RuleTester().run("variable-unused", rule, {
  valid: ["k:f { $ts = nsecs; @ = $ts; }", "k:f { $ignore = delete(@m, 1); }"],
  invalid: [{ code: "k:f { $ts = nsecs; @ = count(); }", errors: [{ messageId: "unused", line: 1, column: 7, endLine: 1, endColumn: 10 }], output: null }],
});
