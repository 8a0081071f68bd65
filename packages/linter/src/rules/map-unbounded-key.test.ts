import { RuleTester } from "../rule-tester.ts";
import rule from "./map-unbounded-key.ts";

new RuleTester().run("map-unbounded-key", rule, {
  valid: [
    "k:f { @[tid] = count(); }",
    "k:f { @t[nsecs] = 1; } i:s:1 { clear(@t); }",
    // begin/end fire once: one key (corpus runtime/call__strftime_as_map_key.bt)
    "BEGIN { @start[nsecs] = 1; } END { @stop[nsecs] = 1; }",
    // strftime() has the resolution of its format, not of nsecs
    'k:f { @[strftime("%m/%d/%y", nsecs)] = count(); }',
  ],
  invalid: [
    { code: "k:f { @t[nsecs] = arg2; }", errors: [{ messageId: "unbounded", line: 1, column: 7, endLine: 1, endColumn: 16 }], output: null },
    { code: "BEGIN { @t[nsecs] = 1; } k:f { @t[nsecs] = 2; }", errors: [{ messageId: "unbounded", line: 1, column: 32, endLine: 1, endColumn: 41 }], output: null },
  ],
});
