import { RuleTester } from "../rule-tester.ts";
import rule from "./map-unbounded-key.ts";

new RuleTester().run("map-unbounded-key", rule, {
  valid: ["k:f { @[tid] = count(); }", "k:f { @t[nsecs] = 1; } i:s:1 { clear(@t); }"],
  invalid: [{ code: "k:f { @t[nsecs] = arg2; }", errors: [{ messageId: "unbounded", line: 1, column: 7, endLine: 1, endColumn: 16 }], output: null }],
});
