import { RuleTester } from "../rule-tester.ts";
import rule from "./debugf-in-production.ts";

new RuleTester({ target: "0.27" }).run("debugf-in-production", rule, {
  valid: ['kprobe:f { printf("%d\\n", pid); }'],
  invalid: [{ code: 'kprobe:f { debugf("%d", pid); }', errors: [{ messageId: "debugf", line: 1, column: 12, endLine: 1, endColumn: 18 }], output: null }],
});
