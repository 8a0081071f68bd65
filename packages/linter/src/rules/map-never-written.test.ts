import { RuleTester } from "../rule-tester.ts";
import rule from "./map-never-written.ts";

new RuleTester().run("map-never-written", rule, {
  valid: ["k:f { @start[tid] = nsecs; } kr:f { @us = hist(nsecs - @start[tid]); delete(@start, tid); }"],
  invalid: [
    // the whole map must exist and nothing else could write @x: bpftrace refuses the program ("Undefined map: @x")
    { code: "k:f { print(@x); }", target: "0.27", errors: [{ messageId: "never", line: 1, column: 13, endLine: 1, endColumn: 15, severity: "error" }], output: null },
    // an import may write it: only a warning
    { code: 'import "lib"; k:f { print(@x); }', target: "0.27", errors: [{ messageId: "never", line: 1, column: 27, endLine: 1, endColumn: 29, severity: "warning" }], output: null },
    {
      code: "k:f { @start[tid] = nsecs; } kr:f { @us = hist(nsecs - @strat[tid]); }",
      errors: [{ messageId: "never", line: 1, column: 56, endLine: 1, endColumn: 62, message: /Did you mean `@start`\?/, severity: "warning" }],
      output: null,
    },
    // a declared map never used (bpftrace 0.27: "Unused map")
    { code: "let @a = hash(2); begin { print(1); }", target: "0.27", errors: [{ messageId: "unused", line: 1, column: 5, endLine: 1, endColumn: 7, severity: "warning" }], output: null },
  ],
});
