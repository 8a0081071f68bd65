import { RuleTester } from "../rule-tester.ts";
import rule from "./return-type.ts";

new RuleTester({ target: "0.27" }).run("return-type", rule, {
  valid: ["fn f(): int64 { return 1; } begin { @ = f(); }"],
  invalid: [{ code: "fn f(): int64 { return; } begin { @ = f(); }", errors: [{ messageId: "returnType", line: 1, column: 17, endLine: 1, endColumn: 24 }], output: null }],
});
