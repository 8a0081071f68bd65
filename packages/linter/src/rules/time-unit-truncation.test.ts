import { RuleTester } from "../rule-tester.ts";
import rule from "./time-unit-truncation.ts";

new RuleTester().run("time-unit-truncation", rule, {
  valid: [
    "k:f { @s[tid] = nsecs; } kr:f { @us = hist((nsecs - @s[tid]) / 1000); delete(@s, tid); }",
    "k:f { @ = hist(arg0 / 1000000000); }",
  ],
  invalid: [
    {
      name: "lab exercise 4.3: histograms in seconds",
      code: "u:libc:exit /@start_times[pid] != 0/ {\n  @lifetime_hist[comm] = hist((nsecs - @start_times[pid]) / 1000000000);\n}",
      errors: [{ messageId: "seconds", line: 2, column: 31, endLine: 2, endColumn: 71 }],
      output: null,
    },
    {
      code: "k:f { $t = nsecs; @ = lhist((nsecs - $t) / 2000000000, 0, 10, 1); }",
      errors: [{ messageId: "seconds", line: 1, column: 29, endLine: 1, endColumn: 54 }],
      output: null,
    },
  ],
});
