import { RuleTester } from "../rule-tester.ts";
import rule from "./map-never-deleted.ts";

new RuleTester().run("map-never-deleted", rule, {
  valid: [
    "k:f { @s[tid] = nsecs; } kr:f /@s[tid]/ { @us = hist(nsecs - @s[tid]); delete(@s, tid); }",
    "BEGIN { @names[1] = \"a\"; } k:f { printf(\"%s\\n\", @names[1]); }",
    "k:f { @s[tid] = nsecs; } i:s:1 { print(@s); clear(@s); }",
  ],
  invalid: [
    {
      code: "k:f { @s[tid] = nsecs; }\nkr:f /@s[tid]/ { @us = hist(nsecs - @s[tid]); }\nEND { clear(@s); }",
      errors: [{ messageId: "never", line: 1, column: 7, endLine: 1, endColumn: 14 }],
      output: null,
    },
  ],
});
