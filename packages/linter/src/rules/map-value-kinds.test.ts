import { RuleTester } from "../rule-tester.ts";
import rule from "./map-value-kinds.ts";

new RuleTester().run("map-value-kinds", rule, {
  valid: [
    "k:f { @x[tid] = 1; } kr:f { @x[tid] = 2; }",
    // a count()/sum()/min()/max()/avg() map reads as an integer (TypeCheckerTest.map_aggregations_implicit_cast)
    "kprobe:f { @x = (uint8)1; @y = count(); @x = @y; }",
    { code: "let @a = percpuhash(2); begin { @a = count(); } let @b = hash(5); begin { @b[1] = 2; }", target: "0.27" }, "k:f { @c = count(); } kr:f { @c = count(); }"],
  invalid: [
    // declared kinds: per-CPU exactly for aggregations (TypeCheckerTest.map_declarations)
    { code: "let @a = hash(2); begin { @a = count(); }", target: "0.27", errors: [{ messageId: "declKind", line: 1, column: 10, endLine: 1, endColumn: 14 }], output: null },
    { code: "let @a = potato(2); begin { @a[1] = count(); }", target: "0.27", errors: [{ messageId: "declKind", line: 1, column: 10, endLine: 1, endColumn: 16 }], output: null },
    {
      code: "begin { @[0] = lhist(0, 0, 100000, 1000); @[1] = lhist(0, 0, 100000, 100); }",
      errors: [{ messageId: "lhistBounds", line: 1, column: 50, endLine: 1, endColumn: 74 }],
      output: null,
    },
    { code: "begin { @x = hist(10); @y[@x] = 1; }", errors: [{ messageId: "aggregationValue", line: 1, column: 27, endLine: 1, endColumn: 29 }], output: null },
    { code: "kprobe:f { @y = count(); @x = @y; }", errors: [{ messageId: "aggregationCopy", line: 1, column: 31, endLine: 1, endColumn: 33 }], output: null },
    { code: "kprobe:f { @ = hist(1, 1); @ = hist(1, 2); }", errors: [{ messageId: "histBits", line: 1, column: 32, endLine: 1, endColumn: 42 }], output: null },
    { code: 'k:f { @x[tid] = 1; } kr:f { @x[tid] = "done"; }', errors: [{ messageId: "type", line: 1, column: 39, endLine: 1, endColumn: 45 }], output: null },
    { code: "k:f { @c = count(); } kr:f { @c = sum(arg0); }", errors: [{ messageId: "type", line: 1, column: 35, endLine: 1, endColumn: 44 }], output: null },
    // a stats() value never reads as an integer, even into a map that holds integers
    { code: "kprobe:f { @x = 1; @y = stats(5); @x = @y; }", target: "0.27", errors: [{ messageId: "aggregationCopy", line: 1, column: 40, endLine: 1, endColumn: 42 }], output: null },
  ],
});
