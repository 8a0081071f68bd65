import { RuleTester } from "../rule-tester.ts";
import rule from "./empty-positional-parameter.ts";

new RuleTester({ target: "0.27" }).run("empty-positional-parameter", rule, {
  valid: [
    // without the run's parameters nothing is known about them
    "kprobe:f { printf(\"%d\\n\", $3); }",
    { code: "kprobe:f { printf(\"%d %s\\n\", $1, $2); }", positionalParameters: ["1", "hello"] },
    // str($N) is how an optional parameter is read
    { code: "kprobe:f { printf(\"%s\\n\", str($3)); }", positionalParameters: ["1", "hello"] },
    // str($N + k) inside the text (measured on 0.27: "123" + 2 and "hello" + 3 do not warn)
    { code: 'kprobe:f { printf("%s", str($1 + 2)); }', positionalParameters: ["123"] },
    { code: 'kprobe:f { printf("%s", str($1 + 3)); }', positionalParameters: ["hello"] },
  ],
  invalid: [
    { code: "kprobe:f { printf(\"%d %s\\n\", $1, $3); }", positionalParameters: ["1", "hello"], errors: [{ messageId: "empty", line: 1, column: 34, endLine: 1, endColumn: 36 }], output: null },
    // str($N + k) at or past the end of the text: always empty (measured on 0.27: 1:29 for "123" + 3, "123" + 4 and "hello" + 5)
    { code: 'kprobe:f { printf("%s", str($1 + 3)); }', positionalParameters: ["123"], errors: [{ messageId: "offsetPastEnd", message: "`str($1 + 3)` starts at or past the end of this run's `$1` (3 bytes), so the string is always empty.", line: 1, column: 29, endLine: 1, endColumn: 31 }], output: null },
    { code: 'kprobe:f { printf("%s", str($1 + 5)); }', positionalParameters: ["hello"], errors: [{ messageId: "offsetPastEnd", line: 1, column: 29, endLine: 1, endColumn: 31 }], output: null },
  ],
});
