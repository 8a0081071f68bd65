import { RuleTester } from "../rule-tester.ts";
import rule from "./map-value-kinds.ts";

new RuleTester().run("map-value-kinds", rule, {
  valid: [
    "k:f { @x[tid] = 1; } kr:f { @x[tid] = 2; }",
    // a count()/sum()/min()/max()/avg() map reads as an integer (TypeCheckerTest.map_aggregations_implicit_cast)
    "kprobe:f { @x = (uint8)1; @y = count(); @x = @y; }", "k:f { @c = count(); } kr:f { @c = count(); }"],
  invalid: [
    { code: 'k:f { @x[tid] = 1; } kr:f { @x[tid] = "done"; }', errors: [{ messageId: "kind", line: 1, column: 39, endLine: 1, endColumn: 45 }], output: null },
    { code: "k:f { @c = count(); } kr:f { @c = sum(arg0); }", errors: [{ messageId: "aggregation", line: 1, column: 35, endLine: 1, endColumn: 44 }], output: null },
  ],
});
