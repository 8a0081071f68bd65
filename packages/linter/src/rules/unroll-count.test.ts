import { RuleTester } from "../rule-tester.ts";
import rule from "./unroll-count.ts";

new RuleTester().run("unroll-count", rule, {
  valid: ["kprobe:f { unroll (100) { @ = 1; } }"],
  invalid: [
    { code: "kprobe:f { unroll (101) { @ = 1; } }", errors: [{ messageId: "count", line: 1, column: 20, endLine: 1, endColumn: 23 }], output: null },
    { code: "kprobe:f { unroll (0) { @ = 1; } }", errors: [{ messageId: "count", line: 1, column: 20, endLine: 1, endColumn: 21 }], output: null },
  ],
});
