import { RuleTester } from "../rule-tester.ts";
import rule from "./map-never-written.ts";

new RuleTester().run("map-never-written", rule, {
  valid: ["k:f { @start[tid] = nsecs; } kr:f { @us = hist(nsecs - @start[tid]); delete(@start, tid); }"],
  invalid: [
    {
      code: "k:f { @start[tid] = nsecs; } kr:f { @us = hist(nsecs - @strat[tid]); }",
      errors: [{ messageId: "never", line: 1, column: 56, endLine: 1, endColumn: 62, message: /Did you mean `@start`\?/ }],
      output: null,
    },
  ],
});
