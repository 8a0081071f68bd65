import { RuleTester } from "../rule-tester.ts";
import rule from "./invalid-cast.ts";

new RuleTester({ target: "0.27" }).run("invalid-cast", rule, {
  valid: ['kprobe:f { $b = (bool)"str"; $i = (uint8)arg0; $p = (int8 *)arg0; print(($b, $i, $p)); }'],
  invalid: [{ code: 'kprobe:f { $x = (int32)"abc"; }', errors: [{ messageId: "cast", line: 1, column: 17, endLine: 1, endColumn: 29 }], output: null }],
});
